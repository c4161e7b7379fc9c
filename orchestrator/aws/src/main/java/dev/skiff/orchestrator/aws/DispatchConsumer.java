package dev.skiff.orchestrator.aws;

import dev.skiff.orchestrator.adapter.sqs.SqsQueue;
import dev.skiff.workflows.DispatchRequest;
import java.time.Duration;
import java.util.Locale;
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
    private final StepMetrics metrics;

    public DispatchConsumer(StepLauncher launcher, SqsQueue queue, StepMetrics metrics) {
        this.launcher = launcher;
        this.queue = queue;
        this.metrics = metrics;
    }

    /** Throws when AWS could not be reached; the message then comes back and is tried again. */
    public Outcome handle(Message message) {
        long began = System.nanoTime();
        DispatchRequest request;
        try {
            request = DispatchRequest.parse(message.body());
        } catch (IllegalArgumentException e) {
            LOG.errorf("dispatch message %s is not a launch request (%s); left for the dead-letter queue",
                    message.messageId(), e.getMessage());
            return Outcome.UNREADABLE;
        }
        StepLauncher.Outcome launched = launcher.launch(request, SqsQueue.receiveCount(message) > 1);
        queue.delete(message);
        metrics.launchSettled(launched.name().toLowerCase(Locale.ROOT), Duration.ofNanos(System.nanoTime() - began));
        return Outcome.SETTLED;
    }
}
