package dev.skiff.orchestrator.adapter.sns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.jobs.NotifyChannel;
import dev.skiff.jobs.RunEvents;
import dev.skiff.orchestrator.port.Notification;
import dev.skiff.orchestrator.port.NotificationFailure;
import dev.skiff.testing.MotoServer;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/** SNS notifications on moto, read back through an SQS queue subscribed to the topic, as a subscriber would get them. */
class SnsNotificationSenderTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final StaticCredentialsProvider CREDENTIALS =
            StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing"));

    private static SnsClient sns;
    private static SqsClient sqs;

    @BeforeAll
    static void clients() {
        var endpoint = MotoServer.shared().endpoint();
        sns = SnsClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1).credentialsProvider(CREDENTIALS).build();
        sqs = SqsClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1).credentialsProvider(CREDENTIALS).build();
    }

    @AfterAll
    static void close() {
        sns.close();
        sqs.close();
    }

    private static Notification failed(String job) {
        ObjectNode detail = JSON.createObjectNode().put("skiffEventId", job + "-1/FAILED").put("job", job)
                .put("runId", job + "-1").put("status", "FAILED").put("error", "exit code 3");
        return new Notification(RunEvents.Kind.FAILED, job, job + "-1", job + "-1/FAILED",
                "✖ job " + job + " run " + job + "-1 FAILED: exit code 3", detail);
    }

    /** A topic with a queue subscribed to it; returns the topic ARN and the queue URL. */
    private static List<String> topicWithQueue(String name) {
        String topic = sns.createTopic(r -> r.name(name)).topicArn();
        String queue = sqs.createQueue(r -> r.queueName(name + "-queue")).queueUrl();
        String queueArn = sqs.getQueueAttributes(r -> r.queueUrl(queue).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
        sns.subscribe(r -> r.topicArn(topic).protocol("sqs").endpoint(queueArn));
        return List.of(topic, queue);
    }

    private static Message receiveOne(String queue) {
        for (int i = 0; i < 10; i++) {
            List<Message> messages = sqs.receiveMessage(r -> r.queueUrl(queue).waitTimeSeconds(1)).messages();
            if (!messages.isEmpty()) {
                assertThat(messages).hasSize(1);
                return messages.get(0);
            }
        }
        throw new AssertionError("nothing reached the queue subscribed to the topic");
    }

    @Test
    void shouldPublishTheTextTheDetailASubjectAndTheJobAndStatusAttributes() throws Exception {
        String name = "skiff-alerts-" + UUID.randomUUID().toString().substring(0, 8);
        List<String> topicAndQueue = topicWithQueue(name);

        new SnsNotificationSender(sns).send(new NotifyChannel(NotifyChannel.Kind.SNS, topicAndQueue.get(0)), failed("etl"),
                Duration.ofSeconds(5));

        JsonNode envelope = JSON.readTree(receiveOne(topicAndQueue.get(1)).body());
        assertThat(envelope.path("TopicArn").asText()).isEqualTo(topicAndQueue.get(0));
        assertThat(envelope.path("Subject").asText()).isEqualTo("Skiff: job etl FAILED (run etl-1)");
        String message = envelope.path("Message").asText();
        assertThat(message).startsWith("✖ job etl run etl-1 FAILED: exit code 3\n\n");
        JsonNode detail = JSON.readTree(message.substring(message.indexOf("\n\n") + 2));
        assertThat(detail.path("runId").asText()).isEqualTo("etl-1");
        assertThat(detail.path("error").asText()).isEqualTo("exit code 3");
        assertThat(envelope.path("MessageAttributes").path("job").path("Value").asText()).isEqualTo("etl");
        assertThat(envelope.path("MessageAttributes").path("status").path("Value").asText()).isEqualTo("FAILED");
    }

    @Test
    void shouldFailForGoodForATopicThatDoesNotExist() {
        var missing = new NotifyChannel(NotifyChannel.Kind.SNS, "arn:aws:sns:us-east-1:123456789012:skiff-nobody-"
                + UUID.randomUUID().toString().substring(0, 8));

        assertThatThrownBy(() -> new SnsNotificationSender(sns).send(missing, failed("etl"), Duration.ofSeconds(5)))
                .isInstanceOfSatisfying(NotificationFailure.class, e -> assertThat(e.retryable()).isFalse())
                .hasMessageStartingWith("SNS refused: NotFound");
    }

    @Test
    void shouldKeepTheSubjectPrintableAsciiAndUnderAHundredCharacters() {
        Notification longJob = new Notification(RunEvents.Kind.DEADLINE_MISSED, "j".repeat(48), "r".repeat(80) + "é",
                "x/DEADLINE_MISSED", "", JSON.createObjectNode());

        String subject = SnsNotificationSender.subject(longJob);

        assertThat(subject).hasSizeLessThan(100).matches("[\\x20-\\x7e]+").startsWith("Skiff: job jjj").endsWith("...");
        assertThat(SnsNotificationSender.subject(failed("etl"))).isEqualTo("Skiff: job etl FAILED (run etl-1)");
    }
}
