package dev.skiff.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class OrchestratorPermissionsTest extends DefaultStackTest {

    private static final String PREFIX = "arn:${AWS::Partition}:";
    private static final String REGION_ACCOUNT = ":eu-central-1:${AWS::AccountId}:";

    private static Map<String, JsonNode> statements;
    private static String clusterArn;
    private static String clusterName;

    @BeforeAll
    static void read() {
        statements = skiff.roleStatements(skiff.stack.orchestrator().taskRole());
        clusterArn = "${" + skiff.logicalId(skiff.stack.cluster().cluster()) + ".Arn}";
        clusterName = "${" + skiff.logicalId(skiff.stack.cluster().cluster()) + "}";
    }

    private static JsonNode statement(String sid) {
        assertThat(statements).containsKey(sid);
        JsonNode statement = statements.get(sid);
        assertThat(statement.get("Effect").asText()).isEqualTo("Allow");
        return statement;
    }

    private static List<String> actions(String sid) {
        return Cfn.texts(statement(sid).get("Action"));
    }

    private static List<String> resources(String sid) {
        return Cfn.texts(statement(sid).get("Resource"));
    }

    @Test
    void shouldHaveExactlyTheseStatements() {
        assertThat(statements.keySet()).containsExactlyInAnyOrder("RunJobTasks", "ManageJobTasks", "ListJobTasks",
                "ManageTaskDefinitions", "TagOnCreate", "PassJobRoles", "PassStateMachineRole", "ManageJobStateMachines",
                "ListStateMachines", "ManageRuns", "AnswerJobTaskTokens", "ConsumeQueues", "SendToIntake",
                "ReadWriteJobSpecs", "ListJobSpecs", "PutRunEvents", "PublishNotifications", "ReadJobLogs");
    }

    @Test
    void shouldReadOnlyTheJobsLogGroups() {
        assertThat(actions("ReadJobLogs")).containsExactly("logs:GetLogEvents");
        assertThat(resources("ReadJobLogs")).containsExactly(PREFIX + "logs" + REGION_ACCOUNT + "log-group:/skiff/jobs/*");
    }

    @Test
    void shouldPublishNotificationsOnlyToTheTopicsOfTheNotifyPrefixByDefault() {
        assertThat(actions("PublishNotifications")).containsExactly("sns:Publish");
        assertThat(resources("PublishNotifications")).containsExactly(PREFIX + "sns" + REGION_ACCOUNT + "skiff-notify-*");
    }

    @Test
    void shouldPublishNotificationsToAConfiguredPrefixAndTheListedTopics() {
        String other = "arn:aws:sns:eu-west-1:210987654321:ops-pager";
        Synthesized configured = Synthesized.synthesize("notify-topics", Map.of(
                SkiffSettings.NOTIFY_TOPIC_PREFIX, "data-alerts-", SkiffSettings.NOTIFY_TOPIC_ARNS, other));

        JsonNode publish = configured.roleStatements(configured.stack.orchestrator().taskRole()).get("PublishNotifications");

        assertThat(Cfn.texts(publish.get("Action"))).containsExactly("sns:Publish");
        assertThat(Cfn.texts(publish.get("Resource")))
                .containsExactlyInAnyOrder(PREFIX + "sns" + REGION_ACCOUNT + "data-alerts-*", other);
    }

    @Test
    void shouldRunTasksOnlyFromJobFamiliesAndOnlyInSkiffsCluster() {
        assertThat(actions("RunJobTasks")).containsExactly("ecs:RunTask");
        assertThat(resources("RunJobTasks")).containsExactly(PREFIX + "ecs" + REGION_ACCOUNT + "task-definition/skiff-*:*");
        assertThat(Cfn.text(statement("RunJobTasks").at("/Condition/ArnEquals/ecs:cluster"))).isEqualTo(clusterArn);
    }

    @Test
    void shouldStopDescribeAndListOnlyTasksOfSkiffsCluster() {
        assertThat(actions("ManageJobTasks")).containsExactlyInAnyOrder("ecs:StopTask", "ecs:DescribeTasks");
        assertThat(resources("ManageJobTasks")).containsExactly(PREFIX + "ecs" + REGION_ACCOUNT + "task/" + clusterName + "/*");
        assertThat(Cfn.text(statement("ManageJobTasks").at("/Condition/ArnEquals/ecs:cluster"))).isEqualTo(clusterArn);
        assertThat(actions("ListJobTasks")).containsExactly("ecs:ListTasks");
        assertThat(Cfn.text(statement("ListJobTasks").at("/Condition/ArnEquals/ecs:cluster"))).isEqualTo(clusterArn);
    }

    @Test
    void shouldNameEachTaskDefinitionActionAndTagOnlyWhileCreating() {
        assertThat(actions("ManageTaskDefinitions")).containsExactlyInAnyOrder("ecs:RegisterTaskDefinition",
                "ecs:DeregisterTaskDefinition", "ecs:DescribeTaskDefinition", "ecs:ListTaskDefinitions");
        assertThat(resources("ManageTaskDefinitions")).containsExactly("*");
        assertThat(actions("TagOnCreate")).containsExactly("ecs:TagResource");
        assertThat(Cfn.texts(statement("TagOnCreate").at("/Condition/StringEquals/ecs:CreateAction")))
                .containsExactlyInAnyOrder("RunTask", "RegisterTaskDefinition");
    }

    @Test
    void shouldPassOnlyTheJobRolesToEcsTasksAndTheStateMachineRoleToStepFunctions() {
        assertThat(actions("PassJobRoles")).containsExactly("iam:PassRole");
        assertThat(resources("PassJobRoles")).containsExactlyInAnyOrder(
                "${" + skiff.logicalId(skiff.stack.jobs().taskRole()) + ".Arn}",
                "${" + skiff.logicalId(skiff.stack.jobs().executionRole()) + ".Arn}",
                "${" + skiff.logicalId(skiff.stack.jobs().teamExecutionRoles().get("analytics")) + ".Arn}",
                "${" + skiff.logicalId(skiff.stack.jobs().teamExecutionRoles().get("billing")) + ".Arn}",
                "${" + skiff.logicalId(skiff.stack.jobs().teamTaskRoles().get("analytics")) + ".Arn}",
                "${" + skiff.logicalId(skiff.stack.jobs().teamTaskRoles().get("billing")) + ".Arn}");
        assertThat(statement("PassJobRoles").at("/Condition/StringEquals/iam:PassedToService").asText())
                .isEqualTo("ecs-tasks.amazonaws.com");
        assertThat(resources("PassStateMachineRole"))
                .containsExactly("${" + skiff.logicalId(skiff.stack.stateMachineRole().role()) + ".Arn}");
        assertThat(statement("PassStateMachineRole").at("/Condition/StringEquals/iam:PassedToService").asText())
                .isEqualTo("states.amazonaws.com");
    }

    @Test
    void shouldManageOnlySkiffsStateMachinesAndTheirExecutions() {
        String machines = PREFIX + "states" + REGION_ACCOUNT + "stateMachine:skiff-*";
        assertThat(actions("ManageJobStateMachines")).containsExactlyInAnyOrder("states:CreateStateMachine",
                "states:UpdateStateMachine", "states:DescribeStateMachine", "states:PublishStateMachineVersion",
                "states:ListStateMachineVersions", "states:TagResource", "states:StartExecution", "states:ListExecutions");
        assertThat(resources("ManageJobStateMachines")).containsExactly(machines);
        assertThat(actions("ListStateMachines")).containsExactly("states:ListStateMachines");
        assertThat(actions("ManageRuns")).containsExactlyInAnyOrder("states:DescribeExecution", "states:StopExecution",
                "states:GetExecutionHistory");
        assertThat(resources("ManageRuns")).containsExactly(PREFIX + "states" + REGION_ACCOUNT + "execution:skiff-*:*");
    }

    @Test
    void shouldAnswerTaskTokensOnlyForSkiffsStateMachines() {
        assertThat(actions("AnswerJobTaskTokens")).containsExactlyInAnyOrder(
                "states:SendTaskSuccess", "states:SendTaskFailure", "states:SendTaskHeartbeat");
        assertThat(resources("AnswerJobTaskTokens")).containsExactly(PREFIX + "states" + REGION_ACCOUNT + "stateMachine:skiff-*");
    }

    @Test
    void shouldConsumeTheThreeQueuesAndSendOnlyToIntakeAndItsDeadLetterQueue() {
        Queues queues = skiff.stack.queues();
        assertThat(actions("ConsumeQueues")).containsExactlyInAnyOrder("sqs:ReceiveMessage", "sqs:DeleteMessage",
                "sqs:ChangeMessageVisibility", "sqs:GetQueueAttributes");
        assertThat(resources("ConsumeQueues")).containsExactlyInAnyOrderElementsOf(queues.all().stream()
                .map(q -> "${" + skiff.logicalId(q.queue()) + ".Arn}").toList());
        assertThat(actions("SendToIntake")).containsExactly("sqs:SendMessage");
        assertThat(resources("SendToIntake")).containsExactlyInAnyOrder(
                "${" + skiff.logicalId(queues.intake().queue()) + ".Arn}",
                "${" + skiff.logicalId(queues.intake().deadLetterQueue()) + ".Arn}");
    }

    @Test
    void shouldReadAndWriteOnlyTheJobsPrefixOfTheBucket() {
        String bucket = "${" + skiff.logicalId(skiff.stack.buckets().jobs()) + ".Arn}";
        assertThat(actions("ReadWriteJobSpecs")).containsExactlyInAnyOrder("s3:GetObject", "s3:PutObject", "s3:DeleteObject");
        assertThat(resources("ReadWriteJobSpecs")).containsExactly(bucket + "/jobs/*");
        assertThat(actions("ListJobSpecs")).containsExactly("s3:ListBucket");
        assertThat(resources("ListJobSpecs")).containsExactly(bucket);
        assertThat(Cfn.texts(statement("ListJobSpecs").at("/Condition/StringLike/s3:prefix"))).containsExactly("jobs/", "jobs/*");
    }

    @Test
    void shouldExpireTheTaskRecordsWithTheExecutionsTheyBelongToAndKeepSpecVersions() {
        java.util.Map<String, com.fasterxml.jackson.databind.JsonNode> byId = lifecycleRules();
        assertThat(byId.get("task-records").get("Prefix").asText()).isEqualTo("jobs/.skiff/tasks/");
        assertThat(byId.get("task-records").get("ExpirationInDays").asInt()).isEqualTo(90);
        assertThat(byId.get("old-versions").has("Prefix")).isFalse();
        assertThat(byId.get("old-versions").get("NoncurrentVersionExpiration").get("NoncurrentDays").asInt()).isEqualTo(90);
    }

    @Test
    void shouldExpireStepOutputsAfterNinetyDaysWithTheirRuns() {
        java.util.Map<String, com.fasterxml.jackson.databind.JsonNode> byId = lifecycleRules();
        assertThat(byId.get("step-outputs").get("Prefix").asText()).isEqualTo("jobs/.skiff/outputs/");
        assertThat(byId.get("step-outputs").get("ExpirationInDays").asInt()).isEqualTo(90);
        assertThat(byId.get("kept-step-outputs").get("Prefix").asText()).isEqualTo("jobs/.skiff/steps/");
        assertThat(byId.get("kept-step-outputs").get("ExpirationInDays").asInt()).isEqualTo(90);
    }

    /** The jobs bucket's lifecycle rules by id. */
    private java.util.Map<String, com.fasterxml.jackson.databind.JsonNode> lifecycleRules() {
        java.util.Map<String, com.fasterxml.jackson.databind.JsonNode> byId = new java.util.HashMap<>();
        skiff.properties(skiff.stack.buckets().jobs()).at("/LifecycleConfiguration/Rules")
                .forEach(rule -> byId.put(rule.get("Id").asText(), rule));
        return byId;
    }
}
