package dev.skiff.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every policy in the template: role policies, resource policies (queues, buckets, bus, topic, key, log group). */
class IamPoliciesTest extends DefaultStackTest {

    private static List<Statement> statements;

    record Statement(String where, JsonNode json) {
        List<String> actions() {
            List<String> actions = new ArrayList<>(Cfn.texts(json.path("Action")));
            actions.addAll(Cfn.texts(json.path("NotAction")));
            return actions;
        }
    }

    @BeforeAll
    static void read() throws Exception {
        statements = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = skiff.resources().fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> resource = it.next();
            collect(resource.getKey(), resource.getValue().path("Properties"));
        }
    }

    /** Policy documents are objects with a Statement, or JSON text (the log group's resource policy). */
    private static void collect(String where, JsonNode node) throws Exception {
        if (node.isTextual() && node.asText().contains("\"Statement\"")) {
            collect(where, Synthesized.JSON.readTree(node.asText()));
        } else if (node.isObject() && node.has("Statement")) {
            JsonNode list = node.get("Statement");
            for (JsonNode statement : list.isArray() ? list : Synthesized.JSON.createArrayNode().add(list)) {
                statements.add(new Statement(where, statement));
            }
        } else if (node.isObject() && node.has("Fn::Join")) {
            // A policy document written as JSON text with references in it (the references render inside strings).
            String text = Cfn.text(node);
            if (text.startsWith("{") && text.contains("\"Statement\"")) {
                collect(where, Synthesized.JSON.readTree(text));
            }
        } else if (node.isContainerNode()) {
            for (JsonNode child : node) {
                collect(where, child);
            }
        }
    }

    @Test
    void shouldFindThePoliciesOfEveryKind() {
        assertThat(statements.stream().map(Statement::where).distinct().count()).isGreaterThan(15);
        assertThat(statements).anySatisfy(s -> assertThat(s.where()).isEqualTo(skiff.logicalId(skiff.stack.monitoring().key())));
    }

    @Test
    void shouldNeverAllowEveryActionOrEveryActionOfAService() {
        for (Statement statement : statements) {
            if (statement.json().path("Effect").asText().equals("Allow")) {
                assertThat(statement.json().has("NotAction")).as(statement.where() + ": NotAction in " + statement.json()).isFalse();
                for (String action : statement.actions()) {
                    assertThat(action).as(statement.where() + ": " + statement.json())
                            .isNotEqualTo("*")
                            .doesNotEndWith(":*");
                }
            }
        }
    }

    /** A Deny of every action is how a resource refuses plain HTTP; any other wildcard Deny would be a surprise. */
    @Test
    void shouldDenyAllActionsOnlyToRequestsWithoutTls() {
        for (Statement statement : statements) {
            boolean wildcard = statement.actions().stream().anyMatch(a -> a.equals("*") || a.endsWith(":*"));
            if (wildcard) {
                assertThat(statement.json().path("Effect").asText()).as(statement.where()).isEqualTo("Deny");
                assertThat(statement.json().at("/Condition/Bool/aws:SecureTransport").asText()).as(statement.where()).isEqualTo("false");
            }
        }
    }

    @Test
    void shouldGiveTheJobTaskRoleNoPermissions() {
        assertThat(skiff.roleStatements(skiff.stack.jobs().taskRole())).isEmpty();
        assertThat(skiff.properties(skiff.stack.jobs().taskRole()).has("Policies")).isFalse();
        assertThat(skiff.properties(skiff.stack.jobs().taskRole()).has("ManagedPolicyArns")).isFalse();
    }

    @Test
    void shouldLetTheSharedJobExecutionRolePullAndLogButReadNoSecret() {
        Map<String, JsonNode> job = skiff.roleStatements(skiff.stack.jobs().executionRole());
        String prefix = "arn:${AWS::Partition}:";
        assertThat(job.keySet()).containsExactlyInAnyOrder("EcrAuthorization", "PullImages", "WriteJobLogs");
        assertThat(Cfn.texts(job.get("EcrAuthorization").get("Action"))).containsExactly("ecr:GetAuthorizationToken");
        assertThat(Cfn.texts(job.get("WriteJobLogs").get("Resource")))
                .containsExactly(prefix + "logs:eu-central-1:${AWS::AccountId}:log-group:/skiff/jobs/*");
    }

    @Test
    void shouldLetEachTeamsExecutionRoleReadOnlyThatTeamsSecrets() {
        String prefix = "arn:${AWS::Partition}:";
        assertThat(skiff.stack.jobs().teamExecutionRoles().keySet()).containsExactlyElementsOf(Synthesized.TEAMS);
        for (String team : Synthesized.TEAMS) {
            Map<String, JsonNode> role = skiff.roleStatements(skiff.stack.jobs().teamExecutionRoles().get(team));
            assertThat(role.keySet()).containsExactlyInAnyOrder("EcrAuthorization", "PullImages", "WriteJobLogs",
                    "ReadTeamSecrets", "ReadTeamParameters");
            assertThat(Cfn.texts(role.get("ReadTeamSecrets").get("Action"))).containsExactly("secretsmanager:GetSecretValue");
            assertThat(Cfn.texts(role.get("ReadTeamSecrets").get("Resource")))
                    .containsExactly(prefix + "secretsmanager:eu-central-1:${AWS::AccountId}:secret:skiff/" + team + "/*");
            assertThat(Cfn.texts(role.get("ReadTeamParameters").get("Action"))).containsExactly("ssm:GetParameters");
            assertThat(Cfn.texts(role.get("ReadTeamParameters").get("Resource")))
                    .containsExactly(prefix + "ssm:eu-central-1:${AWS::AccountId}:parameter/skiff/" + team + "/*");
        }
    }

    @Test
    void shouldLetEachTeamsTaskRoleWriteStepOutputsOnlyUnderThatTeamsPrefix() {
        String bucket = "${" + skiff.logicalId(skiff.stack.buckets().jobs()) + ".Arn}";
        assertThat(skiff.stack.jobs().teamTaskRoles().keySet()).containsExactlyElementsOf(Synthesized.TEAMS);
        for (String team : Synthesized.TEAMS) {
            Map<String, JsonNode> role = skiff.roleStatements(skiff.stack.jobs().teamTaskRoles().get(team));
            assertThat(role.keySet()).as(team).containsExactly("WriteStepOutputs");
            assertThat(Cfn.texts(role.get("WriteStepOutputs").get("Action"))).containsExactly("s3:PutObject");
            assertThat(Cfn.texts(role.get("WriteStepOutputs").get("Resource")))
                    .containsExactly(bucket + "/jobs/.skiff/outputs/" + team + "/*");
            JsonNode trust = skiff.properties(skiff.stack.jobs().teamTaskRoles().get(team))
                    .at("/AssumeRolePolicyDocument/Statement/0/Principal/Service");
            assertThat(Cfn.text(trust)).isEqualTo("ecs-tasks.amazonaws.com");
        }
    }

    @Test
    void shouldGrantNoRoleAnotherTeamsSecretsNorAllOfSkiffs() {
        // Every statement in the template that names a job secret or parameter path: whose policy it is, and the path
        var readers = new java.util.TreeMap<String, List<String>>();
        for (Statement statement : statements) {
            for (String resource : Cfn.texts(statement.json().path("Resource"))) {
                if (resource.contains(":secret:skiff/") || resource.contains(":parameter/skiff/")) {
                    readers.computeIfAbsent(resource.replaceAll(".*(:secret:|:parameter/)skiff/", "skiff/"), k -> new ArrayList<>())
                            .add(statement.where());
                }
            }
        }
        // no skiff/* anywhere; each team's path is read by the policy of that team's role only
        assertThat(readers.keySet()).containsExactly("skiff/analytics/*", "skiff/billing/*");
        for (String team : Synthesized.TEAMS) {
            String policy = skiff.logicalId(skiff.stack.jobs().teamExecutionRoles().get(team).getNode().findChild("DefaultPolicy"));
            assertThat(readers.get("skiff/" + team + "/*")).as(team).containsOnly(policy);
        }
    }

    @Test
    void shouldLetStateMachinesOnlySendToTheDispatchQueue() {
        Map<String, JsonNode> machine = skiff.roleStatements(skiff.stack.stateMachineRole().role());
        assertThat(machine.keySet()).containsExactly("SendLaunchRequests");
        assertThat(Cfn.texts(machine.get("SendLaunchRequests").get("Action"))).containsExactly("sqs:SendMessage");
        assertThat(Cfn.texts(machine.get("SendLaunchRequests").get("Resource")))
                .containsExactly("${" + skiff.logicalId(skiff.stack.queues().dispatch().queue()) + ".Arn}");
        JsonNode trust = skiff.properties(skiff.stack.stateMachineRole().role()).at("/AssumeRolePolicyDocument/Statement/0");
        assertThat(trust.at("/Principal/Service").asText()).isEqualTo("states.amazonaws.com");
        assertThat(Cfn.text(trust.at("/Condition/ArnLike/aws:SourceArn")))
                .isEqualTo("arn:${AWS::Partition}:states:eu-central-1:${AWS::AccountId}:stateMachine:skiff-*");
    }
}
