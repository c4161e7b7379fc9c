package dev.skiff.trigger;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/** SendMessageBatch to the intake queue on moto. */
class SqsEventPublisherMotoTest {

    private final MotoAws aws = new MotoAws();

    private static SkiffEvent event(String id) {
        return new SkiffEvent(id, "Object Created", Instant.parse("2026-11-26T07:59:58.123Z"),
                List.of("arn:aws:s3:::skiff-landing"), Json.object().put("eventName", "ObjectCreated:Put"));
    }

    @Test
    void shouldSendTheEventInEventBridgeShapeWithItsIdWhenTheTargetIsTheIntakeQueue() {
        // Given
        String queue = aws.createQueue("skiff-intake");
        var publisher = new SqsEventPublisher(aws.sqs, queue, "us-east-1");
        // When
        PublishResult result = publisher.publish(List.of(event("s3-123")));
        // Then
        assertThat(result.ok()).isTrue();
        JsonNode body = Json.tryRead(aws.receive(queue, 1).get(0).body()).orElseThrow();
        assertThat(body.get("id").asText()).isEqualTo("s3-123");
        assertThat(body.get("source").asText()).isEqualTo("skiff.trigger");
        assertThat(body.get("detail-type").asText()).isEqualTo("Object Created");
        assertThat(body.get("time").asText()).isEqualTo("2026-11-26T07:59:58.123Z");
        assertThat(body.get("region").asText()).isEqualTo("us-east-1");
        assertThat(body.at("/detail/skiffEventId").asText()).isEqualTo("s3-123");
    }

    @Test
    void shouldLetTheFifoQueueDropARepeatWhenTheSameEventIsSentTwice() {
        // Given
        String queue = aws.sqs.createQueue(r -> r.queueName("skiff-intake.fifo")
                .attributes(Map.of(QueueAttributeName.FIFO_QUEUE, "true"))).queueUrl();
        var publisher = new SqsEventPublisher(aws.sqs, queue, "us-east-1");
        // When
        publisher.publish(List.of(event("s3-123")));
        publisher.publish(List.of(event("s3-123")));
        // Then
        assertThat(aws.receive(queue, 2)).hasSize(1);
    }

    @Test
    void shouldReportEveryEventWhenTheQueueDoesNotExist() {
        String missing = aws.moto.endpoint() + "/123456789012/no-such-queue";
        var publisher = new SqsEventPublisher(aws.sqs, missing, "us-east-1");

        PublishResult result = publisher.publish(List.of(event("a"), event("b")));

        assertThat(result.failures()).containsOnlyKeys("a", "b");
        assertThat(result.failures().get("a")).startsWith("SendMessageBatch failed");
    }
}
