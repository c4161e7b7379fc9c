package dev.skiff.trigger;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;

/**
 * SendMessageBatch to the intake queue, each message one event in EventBridge's delivery shape
 * ({@link EventEnvelope}). On a FIFO queue the event id is also the deduplication id, so SQS itself
 * drops a repeat within its 5-minute window.
 */
public final class SqsEventPublisher implements EventPublisher {

    private final SqsClient client;
    private final String queueUrl;
    private final String region;
    private final boolean fifo;

    public SqsEventPublisher(SqsClient client, String queueUrl, String region) {
        this.client = client;
        this.queueUrl = queueUrl;
        this.region = region;
        this.fifo = queueUrl.endsWith(".fifo");
    }

    @Override
    public PublishResult publish(List<SkiffEvent> events) {
        PublishResult result = PublishResult.allPublished();
        for (List<SkiffEvent> chunk : Batches.of(events)) {
            result = result.plus(publishChunk(chunk));
        }
        return result;
    }

    private PublishResult publishChunk(List<SkiffEvent> chunk) {
        var entries = new ArrayList<SendMessageBatchRequestEntry>();
        for (int i = 0; i < chunk.size(); i++) {
            SkiffEvent event = chunk.get(i);
            var entry = SendMessageBatchRequestEntry.builder()
                    .id(Integer.toString(i))
                    .messageBody(Json.write(EventEnvelope.of(event, region)));
            if (fifo) {
                entry.messageGroupId(event.id()).messageDeduplicationId(event.id());
            }
            entries.add(entry.build());
        }
        SendMessageBatchResponse response;
        try {
            response = client.sendMessageBatch(r -> r.queueUrl(queueUrl).entries(entries));
        } catch (SdkException e) {
            return PublishResult.allFailed(chunk, "SendMessageBatch failed: " + e.getMessage());
        }
        var failures = new LinkedHashMap<String, String>();
        for (BatchResultErrorEntry failed : response.failed()) {
            SkiffEvent event = chunk.get(Integer.parseInt(failed.id()));
            failures.put(event.id(), failed.code() + ": " + failed.message());
        }
        return new PublishResult(failures);
    }
}
