package dev.skiff.orchestrator.adapter.sqs;

import java.util.Map;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

/**
 * Sends a message that cannot become runs to the dead-letter queue: its body unchanged, so it can be
 * redriven once fixed, and the reason as message attributes, so whoever looks at it learns why.
 */
public final class SqsDeadLetterQueue {

    /** The reason, for people. */
    public static final String REASON = "skiff-reason";
    /** The reason's fixed code ({@link DeadLetterReason#UNREADABLE}, {@link DeadLetterReason#MAX_RECEIVES}). */
    public static final String REASON_CODE = "skiff-reason-code";
    /** The id the message had on the intake queue. */
    public static final String MESSAGE_ID = "skiff-intake-message-id";
    /** Keeps the attributes well inside SQS's message size limit, whatever an exception message holds. */
    private static final int MAX_REASON_CHARS = 2_000;

    private final SqsAsyncClient sqs;
    private final String queueUrl;

    public SqsDeadLetterQueue(SqsAsyncClient sqs, String queueUrl) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
    }

    public void send(Message message, DeadLetterReason reason) {
        String detail = reason.detail().length() <= MAX_REASON_CHARS ? reason.detail()
                : reason.detail().substring(0, MAX_REASON_CHARS) + "…";
        Map<String, MessageAttributeValue> attributes = Map.of(
                REASON, text(detail),
                REASON_CODE, text(reason.code()),
                MESSAGE_ID, text(message.messageId()));
        SqsQueue.join(() -> sqs.sendMessage(r -> r.queueUrl(queueUrl).messageBody(message.body())
                .messageAttributes(attributes)).join());
    }

    private static MessageAttributeValue text(String value) {
        return MessageAttributeValue.builder().dataType("String").stringValue(value).build();
    }
}
