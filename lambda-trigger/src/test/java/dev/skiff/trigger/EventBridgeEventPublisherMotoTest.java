package dev.skiff.trigger;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.Message;

/** PutEvents on moto: a rule on the bus sends skiff.trigger events to a queue, which the test reads. */
class EventBridgeEventPublisherMotoTest {

    private final MotoAws aws = new MotoAws();

    private static SkiffEvent event(String id, String detailType) {
        var detail = Json.object().put("job", "backfill");
        return new SkiffEvent(id, detailType, Instant.parse("2026-11-26T08:00:00Z"),
                List.of("arn:aws:s3:::skiff-landing"), detail);
    }

    @Test
    void shouldDeliverTheEventWithSourceDetailTypeAndIdWhenPublishedToTheBus() {
        // Given
        String queue = aws.busDeliveringTo("skiff", "skiff-intake");
        var publisher = new EventBridgeEventPublisher(aws.events, "skiff");
        // When
        PublishResult result = publisher.publish(List.of(event("webhook-abc", "Webhook Run Requested")));
        // Then
        assertThat(result.ok()).isTrue();
        List<Message> messages = aws.receive(queue, 1);
        assertThat(messages).hasSize(1);
        JsonNode delivered = Json.tryRead(messages.get(0).body()).orElseThrow();
        assertThat(delivered.get("source").asText()).isEqualTo("skiff.trigger");
        assertThat(delivered.get("detail-type").asText()).isEqualTo("Webhook Run Requested");
        assertThat(delivered.at("/detail/skiffEventId").asText()).isEqualTo("webhook-abc");
        assertThat(delivered.at("/detail/job").asText()).isEqualTo("backfill");
        assertThat(delivered.at("/resources/0").asText()).isEqualTo("arn:aws:s3:::skiff-landing");
    }

    @Test
    void shouldPublishInChunksOfTenWhenGivenMoreEvents() {
        String queue = aws.busDeliveringTo("skiff", "skiff-intake");
        var publisher = new EventBridgeEventPublisher(aws.events, "skiff");
        var events = IntStream.range(0, 12).mapToObj(i -> event("e-" + i, "SNS Message")).toList();

        PublishResult result = publisher.publish(events);

        assertThat(result.ok()).isTrue();
        assertThat(aws.receive(queue, 12)).extracting(m -> Json.tryRead(m.body()).orElseThrow().at("/detail/skiffEventId").asText())
                .containsExactlyInAnyOrderElementsOf(events.stream().map(SkiffEvent::id).toList());
    }

    @Test
    void shouldReportOnlyTheRefusedEntryWhenFailedEntryCountIsPositive() {
        // Given an entry PutEvents refuses (an empty detail-type) between two good ones
        String queue = aws.busDeliveringTo("skiff", "skiff-intake");
        var publisher = new EventBridgeEventPublisher(aws.events, "skiff");
        // When
        PublishResult result = publisher.publish(List.of(event("good-1", "SNS Message"), event("bad", ""), event("good-2", "SNS Message")));
        // Then
        assertThat(result.failures()).containsOnlyKeys("bad");
        assertThat(result.failures().get("bad")).startsWith("InvalidArgument");
        assertThat(aws.receive(queue, 2)).hasSize(2);
    }
}
