package dev.skiff.trigger;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SqsBatchHandlerTest {

    // The four messages of sqs-batch.json: an S3 notification, an SNS notification, plain text,
    // and the same S3 notification fanned out through SNS.
    private static final String S3_MESSAGE = "059f36b4-87a3-44ab-83d2-661975830a7d";
    private static final String SNS_MESSAGE = "2e1424d4-f796-459a-8184-9c92662be6da";
    private static final String TEXT_MESSAGE = "3a1d5c2e-8b4f-4e1a-9c7d-5f6e7a8b9c0d";
    private static final String SNS_S3_MESSAGE = "4b2e6d3f-9c5a-4f2b-8d8e-6a7b8c9d0e1f";

    private final RecordingEventPublisher publisher = new RecordingEventPublisher();
    private final ByteArrayOutputStream logged = new ByteArrayOutputStream();
    private final SqsBatchHandler handler = new SqsBatchHandler(publisher, Fixtures.CLOCK,
            new TriggerLog(new PrintStream(logged, true, StandardCharsets.UTF_8)));

    @Test
    void shouldReportOnlyTheUnreadableMessageWhenTheRestOfTheBatchIsPublished() {
        // Given
        ObjectNode batch = Fixtures.json("sqs-batch.json");
        // When
        SQSBatchResponse response = handler.handle(batch, "req-1");
        // Then
        assertThat(response.getBatchItemFailures()).extracting(SQSBatchResponse.BatchItemFailure::getItemIdentifier)
                .containsExactly(TEXT_MESSAGE);
        assertThat(publisher.published).extracting(SkiffEvent::detailType)
                .containsExactly("Object Created", "SNS Message", "Object Created");
        assertThat(logged.toString(StandardCharsets.UTF_8))
                .contains("requestId=req-1 message unreadable messageId=" + TEXT_MESSAGE)
                .contains("failedMessages=1");
    }

    @Test
    void shouldGiveAnS3NotificationTheSameEventIdWhetherItCameDirectlyOrThroughSns() {
        handler.handle(Fixtures.json("sqs-batch.json"), "req-1");
        assertThat(publisher.published.get(2).id()).isEqualTo(publisher.published.get(0).id());
    }

    @Test
    void shouldGiveAMessageTheSameEventIdsWhenTheBatchIsRedelivered() {
        handler.handle(Fixtures.json("sqs-batch.json"), "a");
        handler.handle(Fixtures.json("sqs-batch.json"), "b");
        assertThat(publisher.published.subList(3, 6)).extracting(SkiffEvent::id)
                .containsExactlyElementsOf(publisher.published.subList(0, 3).stream().map(SkiffEvent::id).toList());
    }

    @Test
    void shouldReportTheMessageWhoseEventFailedWhenPublishingFailsForOneEntry() {
        // Given the SNS message's event is refused by the bus
        String snsEventId = EventIds.of("sns", "arn:aws:sns:us-east-1:123456789012:partner-drops",
                "95df01b4-ee98-5cb9-9903-4c221d41eb5e");
        publisher.failing(snsEventId);
        // When
        SQSBatchResponse response = handler.handle(Fixtures.json("sqs-batch.json"), "req-1");
        // Then
        assertThat(response.getBatchItemFailures()).extracting(SQSBatchResponse.BatchItemFailure::getItemIdentifier)
                .containsExactlyInAnyOrder(TEXT_MESSAGE, SNS_MESSAGE);
    }

    @Test
    void shouldReportEveryMessageWithEventsWhenTheWholePublishFails() {
        publisher.failingAll();
        SQSBatchResponse response = handler.handle(Fixtures.json("sqs-batch.json"), "req-1");
        assertThat(response.getBatchItemFailures()).extracting(SQSBatchResponse.BatchItemFailure::getItemIdentifier)
                .containsExactlyInAnyOrder(S3_MESSAGE, SNS_MESSAGE, TEXT_MESSAGE, SNS_S3_MESSAGE);
    }

    @Test
    void shouldAcknowledgeTheS3TestEventWithoutPublishing() {
        // Given the message S3 sends when a notification is configured
        ObjectNode batch = Fixtures.json("sqs-batch.json");
        var records = batch.withArray("Records");
        ObjectNode test = (ObjectNode) records.get(0).deepCopy();
        test.put("body", "{\"Service\":\"Amazon S3\",\"Event\":\"s3:TestEvent\",\"Time\":\"2026-11-26T07:00:00.000Z\","
                + "\"Bucket\":\"skiff-landing\",\"RequestId\":\"5582815E1AEA5ADF\",\"HostId\":\"8cLeGAmw098X5cv4Zkwcmo8vvZa3eH3eKxsPzbB9wrR+YstdA6Knx4Ip8EXAMPLE\"}");
        records.removeAll();
        records.add(test);
        // When
        SQSBatchResponse response = handler.handle(batch, "req-1");
        // Then
        assertThat(response.getBatchItemFailures()).isEmpty();
        assertThat(publisher.published).isEmpty();
    }

    @Test
    void shouldWriteTheBatchResponseAsLambdaExpectsWhenSerialised() {
        SQSBatchResponse response = handler.handle(Fixtures.json("sqs-batch.json"), "req-1");
        assertThat(Json.write(response)).isEqualTo("{\"batchItemFailures\":[{\"itemIdentifier\":\"" + TEXT_MESSAGE + "\"}]}");
    }
}
