package dev.skiff.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Capture;
import software.amazon.awscdk.assertions.Match;

class QueuesTest extends DefaultStackTest {



    @Test
    void shouldGiveEachQueueItsOwnDeadLetterQueueAfterFiveReceives() {
        template.resourceCountIs("AWS::SQS::Queue", 6);
        Queues queues = skiff.stack.queues();
        for (QueueWithDeadLetter queue : queues.all()) {
            JsonNode redrive = skiff.properties(queue.queue()).get("RedrivePolicy");
            assertThat(redrive.get("maxReceiveCount").asInt()).isEqualTo(5);
            assertThat(Cfn.text(redrive.get("deadLetterTargetArn")))
                    .isEqualTo("${" + skiff.logicalId(queue.deadLetterQueue()) + ".Arn}");
            assertThat(skiff.properties(queue.deadLetterQueue()).get("MessageRetentionPeriod").asInt()).isEqualTo(14 * 24 * 3600);
        }
    }

    @Test
    void shouldGiveDispatchALongerVisibilityTimeoutThanALaunchTakes() {
        Queues queues = skiff.stack.queues();
        assertThat(skiff.properties(queues.intake().queue()).get("VisibilityTimeout").asInt()).isEqualTo(60);
        assertThat(skiff.properties(queues.dispatch().queue()).get("VisibilityTimeout").asInt()).isEqualTo(300);
        assertThat(skiff.properties(queues.taskEvents().queue()).get("VisibilityTimeout").asInt()).isEqualTo(120);
    }

    @Test
    void shouldEncryptEveryQueueAndRefusePlainHttp() {
        for (String id : skiff.ofType("AWS::SQS::Queue")) {
            assertThat(skiff.resources().get(id).get("Properties").get("SqsManagedSseEnabled").asBoolean()).as(id).isTrue();
        }
        template.resourcePropertiesCountIs("AWS::SQS::QueuePolicy", Match.objectLike(Map.of(
                "PolicyDocument", Match.objectLike(Map.of("Statement", Match.arrayWith(List.of(Match.objectLike(Map.of(
                        "Effect", "Deny",
                        "Action", "sqs:*",
                        "Condition", Map.of("Bool", Map.of("aws:SecureTransport", "false")))))))))), 6);
    }

    @Test
    void shouldAlarmOnEachDeadLetterQueueAndOnEachMainQueuesOldestMessage() {
        Queues queues = skiff.stack.queues();
        for (QueueWithDeadLetter queue : queues.all()) {
            template.hasResourceProperties("AWS::CloudWatch::Alarm", Match.objectLike(Map.of(
                    "MetricName", "ApproximateNumberOfMessagesVisible",
                    "Namespace", "AWS/SQS",
                    "Threshold", 0,
                    "ComparisonOperator", "GreaterThanThreshold",
                    "Dimensions", List.of(Map.of("Name", "QueueName",
                            "Value", Map.of("Fn::GetAtt", List.of(skiff.logicalId(queue.deadLetterQueue()), "QueueName")))))));
            Capture threshold = new Capture();
            template.hasResourceProperties("AWS::CloudWatch::Alarm", Match.objectLike(Map.of(
                    "MetricName", "ApproximateAgeOfOldestMessage",
                    "Threshold", threshold,
                    "Dimensions", List.of(Map.of("Name", "QueueName",
                            "Value", Map.of("Fn::GetAtt", List.of(skiff.logicalId(queue.queue()), "QueueName")))))));
            assertThat(threshold.asNumber().longValue()).isEqualTo(queue.oldestAgeThreshold().toSeconds().longValue());
        }
    }
}
