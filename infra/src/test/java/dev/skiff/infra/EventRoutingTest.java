package dev.skiff.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;
import software.amazon.event.ruler.Machine;

class EventRoutingTest extends DefaultStackTest {

    private static final String ACCOUNT = "123456789012";
    private static final String CLUSTER_ARN = "arn:aws:ecs:eu-central-1:123456789012:cluster/Skiff-Cluster-abc";

    private static Map<String, String> values;

    @BeforeAll
    static void read() {
        values = Map.of("AWS::Partition", "aws", "AWS::AccountId", ACCOUNT,
                skiff.logicalId(skiff.stack.cluster().cluster()) + ".Arn", CLUSTER_ARN);
    }

    private JsonNode rule(String constructId) {
        return skiff.properties(skiff.stack.events().getNode().findChild(constructId));
    }

    /** EventBridge's own matcher (event-ruler) on the rule's pattern, with the references filled in. */
    private static boolean matches(JsonNode rule, String event) throws Exception {
        Machine machine = new Machine();
        machine.addRule("rule", Synthesized.JSON.writeValueAsString(Cfn.concrete(rule.get("EventPattern"), values)));
        return !machine.rulesForJSONEvent(event).isEmpty();
    }

    private static String target(JsonNode rule) {
        assertThat(rule.get("Targets")).hasSize(1);
        return Cfn.text(rule.get("Targets").get(0).get("Arn"));
    }

    @Test
    void shouldSendEveryEventOnSkiffsBusToTheIntakeQueue() throws Exception {
        template.hasResourceProperties("AWS::Events::EventBus", Map.of("Name", "skiff"));
        JsonNode rule = rule("UpstreamToIntake");

        assertThat(Cfn.text(rule.get("EventBusName"))).isEqualTo("${" + skiff.logicalId(skiff.stack.events().bus()) + "}");
        assertThat(target(rule)).isEqualTo("${" + skiff.logicalId(skiff.stack.queues().intake().queue()) + ".Arn}");
        assertThat(matches(rule, "{\"source\":\"com.example.orders\",\"detail-type\":\"Order Placed\",\"detail\":{}}")).isTrue();
        assertThat(matches(rule, "{\"source\":\"skiff.trigger\",\"detail-type\":\"Webhook Run Requested\",\"detail\":{}}")).isTrue();
        template.hasResourceProperties("AWS::SQS::QueuePolicy", Match.objectLike(Map.of(
                "PolicyDocument", Match.objectLike(Map.of("Statement", Match.arrayWith(List.of(Match.objectLike(Map.of(
                        "Effect", "Allow",
                        "Action", List.of("sqs:SendMessage", "sqs:GetQueueAttributes", "sqs:GetQueueUrl"),
                        "Principal", Map.of("Service", "events.amazonaws.com"))))))),
                "Queues", List.of(Map.of("Ref", skiff.logicalId(skiff.stack.queues().intake().queue()))))));
    }

    @Test
    void shouldSendOnlyTheJobTaskStateChangesOfSkiffsClusterToTheTaskEventsQueue() throws Exception {
        JsonNode rule = rule("TaskStateChanges");

        assertThat(rule.has("EventBusName")).as("on the default bus").isFalse();
        assertThat(Cfn.text(rule.at("/EventPattern/detail/clusterArn/0")))
                .isEqualTo("${" + skiff.logicalId(skiff.stack.cluster().cluster()) + ".Arn}");
        assertThat(target(rule)).isEqualTo("${" + skiff.logicalId(skiff.stack.queues().taskEvents().queue()) + ".Arn}");
        String jobTask = taskEvent(CLUSTER_ARN, "arn:aws:ecs:eu-central-1:123456789012:task-definition/skiff-backfill:3");
        assertThat(matches(rule, jobTask)).isTrue();
        assertThat(matches(rule, taskEvent("arn:aws:ecs:eu-central-1:123456789012:cluster/other",
                "arn:aws:ecs:eu-central-1:123456789012:task-definition/skiff-backfill:3"))).as("another cluster").isFalse();
        assertThat(matches(rule, taskEvent(CLUSTER_ARN,
                "arn:aws:ecs:eu-central-1:123456789012:task-definition/SkiffOrchestratorTaskDefinition:7"))).as("the orchestrator").isFalse();
    }

    private static String taskEvent(String cluster, String taskDefinition) {
        return "{\"source\":\"aws.ecs\",\"detail-type\":\"ECS Task State Change\",\"account\":\"" + ACCOUNT + "\",\"detail\":{"
                + "\"clusterArn\":\"" + cluster + "\",\"taskDefinitionArn\":\"" + taskDefinition + "\",\"lastStatus\":\"STOPPED\"}}";
    }

    @Test
    void shouldRecordAndCountFailedRunsOfSkiffsStateMachinesOnly() throws Exception {
        JsonNode rule = rule("FailedRuns");
        LogGroupTargetCheck.assertDeliversTo(skiff, rule, skiff.stack.events().failedRunsLog());

        assertThat(matches(rule, executionEvent("skiff-backfill", "FAILED"))).isTrue();
        assertThat(matches(rule, executionEvent("skiff-backfill", "TIMED_OUT"))).isTrue();
        assertThat(matches(rule, executionEvent("skiff-backfill", "ABORTED"))).isTrue();
        assertThat(matches(rule, executionEvent("skiff-backfill", "SUCCEEDED"))).isFalse();
        assertThat(matches(rule, executionEvent("billing-report", "FAILED"))).as("another team's state machine").isFalse();
        template.hasResourceProperties("AWS::Logs::MetricFilter", Map.of(
                "LogGroupName", Map.of("Ref", skiff.logicalId(skiff.stack.events().failedRunsLog())),
                "FilterPattern", "{ $.source = \"aws.states\" }",
                "MetricTransformations", List.of(Map.of(
                        "MetricNamespace", "Skiff", "MetricName", "FailedRuns", "MetricValue", "1", "DefaultValue", 0))));
    }

    private static String executionEvent(String stateMachine, String status) {
        String arn = "arn:aws:states:eu-central-1:123456789012:stateMachine:" + stateMachine;
        return "{\"source\":\"aws.states\",\"detail-type\":\"Step Functions Execution Status Change\",\"detail\":{"
                + "\"status\":\"" + status + "\",\"stateMachineArn\":\"" + arn + "\","
                + "\"executionArn\":\"arn:aws:states:eu-central-1:123456789012:execution:" + stateMachine + ":run-1\"}}";
    }

    @Test
    void shouldSendTheStatusChangesOfSkiffsExecutionsOnlyToTheTaskEventsQueue() throws Exception {
        JsonNode rule = rule("RunStatusChanges");

        assertThat(rule.has("EventBusName")).as("on the default bus").isFalse();
        assertThat(target(rule)).isEqualTo("${" + skiff.logicalId(skiff.stack.queues().taskEvents().queue()) + ".Arn}");
        assertThat(matches(rule, executionEvent("skiff-backfill", "RUNNING"))).isTrue();
        assertThat(matches(rule, executionEvent("skiff-backfill", "SUCCEEDED"))).isTrue();
        assertThat(matches(rule, executionEvent("skiff-backfill", "ABORTED"))).isTrue();
        assertThat(matches(rule, executionEvent("billing-report", "SUCCEEDED"))).as("another team's state machine").isFalse();
    }

    @Test
    void shouldLetOnlyTheOrchestratorsRolePutRunEventsOnTheBus() {
        assertOnlyRolePuts(skiff.stack.orchestrator().taskRole(), "skiff.runs", "PutRunEvents");
    }

    @Test
    void shouldLetOnlyTheTriggersRolePutTriggerEventsOnTheBus() {
        assertOnlyRolePuts(skiff.stack.trigger().role(), "skiff.trigger", "PutTriggerEvents");
    }

    /** The role may put events of the source on Skiff's bus, and the bus denies that source to everyone else. */
    private void assertOnlyRolePuts(software.amazon.awscdk.services.iam.IRole role, String source, String grantSid) {
        String logicalId = skiff.logicalId(role);
        template.hasResourceProperties("AWS::Events::EventBusPolicy", Map.of(
                "EventBusName", Map.of("Ref", skiff.logicalId(skiff.stack.events().bus())),
                "StatementId", Match.anyValue(),
                "Statement", Match.objectLike(Map.of(
                        "Effect", "Deny",
                        "Principal", Map.of("AWS", "*"),
                        "Action", "events:PutEvents",
                        "Condition", Map.of(
                                "StringEquals", Map.of("events:source", source),
                                "ArnNotEquals", Map.of("aws:PrincipalArn", Map.of("Fn::GetAtt", List.of(logicalId, "Arn"))))))));

        JsonNode put = skiff.roleStatements(role).get(grantSid);
        assertThat(put.get("Action").asText()).isEqualTo("events:PutEvents");
        assertThat(Cfn.text(put.get("Resource"))).isEqualTo("${" + skiff.logicalId(skiff.stack.events().bus()) + ".Arn}");
        assertThat(put.at("/Condition/StringEquals/events:source").asText()).isEqualTo(source);
    }
}
