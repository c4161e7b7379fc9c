package dev.skiff.orchestrator.adapter.sqs;

import io.smallrye.reactive.messaging.aws.sqs.SqsReceiveMessageRequestCustomizer;
import java.time.Duration;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageRequest;

/**
 * Shapes a connector channel's ReceiveMessage calls from Skiff's settings rather than from connector keys: long
 * polls of 20 s (SQS's maximum) for up to 10 messages (its maximum), the visibility timeout the
 * extender counts on, and the receive count, without which a failing message could never be told
 * from a new one.
 */
public final class SqsReceiveRequests implements SqsReceiveMessageRequestCustomizer {

    static final int LONG_POLL_SECONDS = 20;
    static final int MAX_MESSAGES = 10;

    private final Duration visibilityTimeout;

    /** @param visibilityTimeout how long a received message stays hidden from other consumers */
    public SqsReceiveRequests(Duration visibilityTimeout) {
        this.visibilityTimeout = visibilityTimeout;
    }

    @Override
    public void customize(ReceiveMessageRequest.Builder builder) {
        builder.waitTimeSeconds(LONG_POLL_SECONDS)
                .maxNumberOfMessages(MAX_MESSAGES)
                .visibilityTimeout((int) visibilityTimeout.toSeconds())
                .messageSystemAttributeNames(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT);
    }
}
