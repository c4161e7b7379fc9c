package dev.skiff.orchestrator.adapter.sqs;

import java.time.Duration;
import java.util.concurrent.CompletionException;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import org.jboss.logging.Logger;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageNotInflightException;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.ReceiptHandleIsInvalidException;

/**
 * What a consumer (the intake; in Step Functions mode also dispatch and task events) does to a message on its
 * queue once it has been received: delete it, or hide it for a
 * while. Calls wait for SQS's answer, because the consumer's next step depends on it; they run on worker
 * threads, never on the connector's event loop.
 */
public final class SqsQueue {

    private static final Logger LOG = Logger.getLogger(SqsQueue.class);

    private final SqsAsyncClient sqs;
    private final String queueUrl;

    public SqsQueue(SqsAsyncClient sqs, String queueUrl) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
    }

    public void delete(Message message) {
        try {
            join(() -> sqs.deleteMessage(r -> r.queueUrl(queueUrl).receiptHandle(message.receiptHandle())).join());
        } catch (ReceiptHandleIsInvalidException stale) {
            staleDelivery(message, "delete");
        }
    }

    /** Keeps the message from being received again for {@code duration}, counted from now. */
    public void hide(Message message, Duration duration) {
        try {
            join(() -> sqs.changeMessageVisibility(r -> r.queueUrl(queueUrl).receiptHandle(message.receiptHandle())
                    .visibilityTimeout((int) duration.toSeconds())).join());
        } catch (ReceiptHandleIsInvalidException | MessageNotInflightException stale) {
            staleDelivery(message, "hide");
        }
    }

    /**
     * This delivery's receipt handle expired (it waited longer than its visibility timeout, and SQS may have
     * handed the message out again): the newest delivery settles the message, and its runs start only once.
     */
    private static void staleDelivery(Message message, String what) {
        LOG.debugf("SQS message %s: could not %s this delivery, a later one settles it", message.messageId(), what);
    }

    /** How many times SQS handed the message out; 1 when the receive did not ask for the count. */
    public static int receiveCount(Message message) {
        String count = message.attributes().get(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT);
        return count == null ? 1 : Integer.parseInt(count);
    }

    String url() {
        return queueUrl;
    }

    /** Throws the SDK's own exception rather than the CompletionException wrapped around it, so logs name the cause. */
    static void join(Runnable call) {
        try {
            call.run();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
    }
}
