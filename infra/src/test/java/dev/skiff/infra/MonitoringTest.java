package dev.skiff.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;

class MonitoringTest extends DefaultStackTest {

    private static String topic;

    @BeforeAll
    static void read() {
        topic = skiff.logicalId(skiff.stack.monitoring().topic());
    }

    @Test
    void shouldNotifyAnEncryptedTopicFromEveryAlarm() {
        template.hasResourceProperties("AWS::SNS::Topic", Match.objectLike(Map.of(
                "KmsMasterKeyId", Map.of("Fn::GetAtt", List.of(skiff.logicalId(skiff.stack.monitoring().key()), "Arn")))));
        template.hasResourceProperties("AWS::KMS::Key", Match.objectLike(Map.of("EnableKeyRotation", true)));
        int notifying = 0;
        for (String id : skiff.ofType("AWS::CloudWatch::Alarm")) {
            JsonNode actions = skiff.resources().get(id).at("/Properties/AlarmActions");
            if (actions.toString().contains(topic)) {
                notifying++;
            }
        }
        // 3 queues x (dead letters, oldest message), failed runs, fallbacks, throttles, CPU, memory.
        assertThat(notifying).isEqualTo(skiff.stack.monitoring().alarms().size()).isEqualTo(11);
    }

    @Test
    void shouldLetCloudWatchUseTheKeyAndPublishToTheTopic() {
        String keyPolicy = skiff.properties(skiff.stack.monitoring().key()).get("KeyPolicy").toString();
        assertThat(keyPolicy).contains("cloudwatch.amazonaws.com").contains("kms:GenerateDataKey*").doesNotContain("\"kms:*\"");
        template.hasResourceProperties("AWS::SNS::TopicPolicy", Match.objectLike(Map.of(
                "PolicyDocument", Match.objectLike(Map.of("Statement", Match.arrayWith(List.of(Match.objectLike(Map.of(
                        "Effect", "Allow", "Action", "sns:Publish",
                        "Principal", Map.of("Service", "cloudwatch.amazonaws.com")))))))))); 
    }

    @Test
    void shouldCountSpotFallbacksAndRunTaskThrottlesFromTheOrchestratorsLog() {
        Map<String, Object> logGroup = Map.of("Ref", skiff.logicalId(skiff.stack.orchestrator().logGroup()));
        template.hasResourceProperties("AWS::Logs::MetricFilter", Map.of(
                "LogGroupName", logGroup,
                "FilterPattern", "\"no Fargate Spot capacity\"",
                "MetricTransformations", List.of(Map.of("MetricNamespace", "Skiff", "MetricName", "SpotFallbacks",
                        "MetricValue", "1", "DefaultValue", 0))));
        template.hasResourceProperties("AWS::Logs::MetricFilter", Map.of(
                "LogGroupName", logGroup,
                "FilterPattern", "\"RunTask throttled\"",
                "MetricTransformations", List.of(Map.of("MetricNamespace", "Skiff", "MetricName", "RunTaskThrottles",
                        "MetricValue", "1", "DefaultValue", 0))));
    }

    @Test
    void shouldAlarmOnFailedRunsFallbacksThrottlesAndTheOrchestratorsCpuAndMemory() {
        for (String metric : List.of("FailedRuns", "SpotFallbacks", "RunTaskThrottles")) {
            template.hasResourceProperties("AWS::CloudWatch::Alarm", Match.objectLike(Map.of(
                    "Namespace", "Skiff", "MetricName", metric, "Statistic", "Sum")));
        }
        template.hasResourceProperties("AWS::CloudWatch::Alarm", Match.objectLike(Map.of(
                "Namespace", "Skiff", "MetricName", "FailedRuns", "Threshold", 1,
                "ComparisonOperator", "GreaterThanOrEqualToThreshold")));
        for (String metric : List.of("CPUUtilization", "MemoryUtilization")) {
            template.hasResourceProperties("AWS::CloudWatch::Alarm", Match.objectLike(Map.of(
                    "Namespace", "AWS/ECS", "MetricName", metric, "Threshold", 80)));
        }
    }

    @Test
    void shouldDrawTheDashboard() {
        template.resourceCountIs("AWS::CloudWatch::Dashboard", 1);
        String body = Cfn.text(skiff.properties(skiff.stack.monitoring().dashboard()).get("DashboardBody"));
        assertThat(body).contains("\"title\":\"Runs\"", "\"title\":\"Launches\"", "\"title\":\"Dead letters\"",
                "\"title\":\"Oldest message age (s)\"", "\"title\":\"Orchestrator CPU and memory (%)\"", "\"title\":\"Alarms\"",
                "FailedRuns", "SpotFallbacks", "RunTaskThrottles", "ApproximateAgeOfOldestMessage");
    }
}
