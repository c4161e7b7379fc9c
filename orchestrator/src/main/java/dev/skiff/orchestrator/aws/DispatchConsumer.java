package dev.skiff.orchestrator.aws;

import dev.skiff.orchestrator.adapter.sqs.SqsQueue;
import org.jboss.logging.Logger;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * Settles one message of the dispatch queue: launches its step, then deletes it. A message is deleted only once
 * the launch is durable; if this process dies first, the message comes back after its visibility timeout and the
 * next delivery finds the task the first one started instead of starting a second. An unreadable message is left
 * alone: it names no token anyone could answer, and the queue's redrive policy moves it to the dead-letter queue.
 */
public final class DispatchConsumer {

    private static final Logger LOG = Logger.getLogger(DispatchConsumer.class);

    /** What became of a message. */
    public enum Outcome { SETTLED, UNREADABLE }

    private final StepLauncher launcher;
    private final SqsQueue queue;

    public DispatchConsumer(StepLauncher launcher, SqsQueue queue) {
        this.launcher = launcher;
        this.queue = queue;
    }

    /** Throws when AWS could not be reached; the message then comes back and is tried again. */
    public Outcome handle(Message message) {
        DispatchRequest request;
        try {
            request = DispatchRequest.parse(message.body());
        } catch (IllegalArgumentException e) {
            LOG.errorf("dispatch message %s is not a launch request (%s); left for the dead-letter queue",
                    message.messageId(), e.getMessage());
            return Outcome.UNREADABLE;
        }
        launcher.launch(request, SqsQueue.receiveCount(message) > 1);
        queue.delete(message);
        return Outcome.SETTLED;
    }
}
