package dev.skiff.orchestrator.adapter.sqs;

import dev.skiff.orchestrator.app.TickLoop;
import dev.skiff.orchestrator.app.WakeSignal;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * Keeps messages that are still being handled hidden from other consumers: a message in hand longer than
 * a third of the visibility timeout gets a whole timeout again, and again a third later, until released.
 * Without it, a slow start (a throttled engine, a slow Step Functions call) would let SQS hand the same
 * message to another replica; that would start no second run, but would waste the work twice.
 */
public final class VisibilityExtender implements TickLoop.Tickable {

    private static final Logger LOG = Logger.getLogger(VisibilityExtender.class);

    private record InHand(Message message, Instant extendAt) {
    }

    private final SqsQueue queue;
    private final Duration visibilityTimeout;
    private final Duration extendAfter;
    private final SqsIntakeMetrics metrics;
    /** By receipt handle: a message SQS delivered twice at once is two deliveries to keep hidden. */
    private final Map<String, InHand> inHand = new ConcurrentHashMap<>();
    private final WakeSignal wake = new WakeSignal();

    public VisibilityExtender(SqsQueue queue, SqsIntakeOptions options, SqsIntakeMetrics metrics) {
        this.queue = queue;
        this.visibilityTimeout = options.visibilityTimeout();
        this.extendAfter = options.extendAfter();
        this.metrics = metrics;
    }

    /** @param receivedAt when the message came into hand; its visibility timeout started no later */
    void track(Message message, Instant receivedAt) {
        inHand.put(message.receiptHandle(), new InHand(message, receivedAt.plus(extendAfter)));
        wake.signal();
    }

    void release(Message message) {
        inHand.remove(message.receiptHandle());
    }

    @Override
    public void tick(Instant now) {
        for (InHand held : inHand.values()) {
            if (held.extendAt().isAfter(now)) {
                continue;
            }
            try {
                queue.hide(held.message(), visibilityTimeout);
                metrics.visibilityExtended();
            } catch (RuntimeException e) {
                // Released (and deleted) meanwhile, or SQS unreachable: tried again a third later if still in hand.
                LOG.debugf("could not extend the visibility of message %s: %s", held.message().messageId(), e.getMessage());
            }
            inHand.computeIfPresent(held.message().receiptHandle(), (k, v) -> new InHand(v.message(), now.plus(extendAfter)));
        }
    }

    @Override
    public Optional<Instant> nextWakeUp() {
        return inHand.values().stream().map(InHand::extendAt).min(Instant::compareTo);
    }

    @Override
    public void awaitChange(long maxWaitNanos) throws InterruptedException {
        wake.await(maxWaitNanos);
    }
}
