package dev.skiff.orchestrator.adapter.sqs;

import io.smallrye.reactive.messaging.aws.sqs.SqsReceiveMessageRequestCustomizer;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageRequest;

/**
 * Shapes the connector's ReceiveMessage calls from Skiff's options rather than from connector keys: long
 * polls of 20 s (SQS's maximum) for up to 10 messages (its maximum), the visibility timeout the
 * extender counts on, and the receive count, without which a failing message could never be told
 * from a new one.
 */
public final class SqsReceiveRequests implements SqsReceiveMessageRequestCustomizer {

    static final int LONG_POLL_SECONDS = 20;
    static final int MAX_MESSAGES = 10;

    private final SqsIntakeOptions options;

    public SqsReceiveRequests(SqsIntakeOptions options) {
        this.options = options;
    }

    @Override
    public void customize(ReceiveMessageRequest.Builder builder) {
        builder.waitTimeSeconds(LONG_POLL_SECONDS)
                .maxNumberOfMessages(MAX_MESSAGES)
                .visibilityTimeout((int) options.visibilityTimeout().toSeconds())
                .messageSystemAttributeNames(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT);
    }
}
