package dev.skiff.orchestrator.app;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.orchestrator.port.RunEventOutbox;
import dev.skiff.orchestrator.port.RunEventSink;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import org.jboss.logging.Logger;

/**
 * Publishes the embedded engine's run events from its outbox, in the order they were written: each is put into the
 * sink, marked put, handed to the listeners (notifications) on a worker, and marked done once they returned. An
 * event the sink refused stays and is tried again on a later tick; a crash between put and done hands it to the
 * listeners again after the restart, so nothing is lost (a notification may then come twice).
 */
public final class RunEventRelay implements TickLoop.Tickable {

    private static final Logger LOG = Logger.getLogger(RunEventRelay.class);
    /** Events read per tick. */
    static final int BATCH = 100;
    /** The longest wait without a signal: a safety net for events written while no one signalled. */
    static final Duration IDLE_CHECK = Duration.ofSeconds(5);
    /** The wait after the sink refused an event. */
    static final Duration RETRY_AFTER = Duration.ofSeconds(2);

    private final RunEventOutbox outbox;
    private final RunEventSink sink;
    private final List<RunEventListener> listeners;
    private final ExecutorService workers;
    private final WakeSignal wake;
    /** Events whose listeners are still at work, not to be handed over twice. */
    private final Set<String> withListeners = ConcurrentHashMap.newKeySet();
    /** Events whose listeners all returned, to be marked done by the next tick. */
    private final Queue<String> heard = new ConcurrentLinkedQueue<>();
    private volatile Instant nextTry = Instant.MIN;
    private volatile Instant lastTick = Instant.MIN;

    /**
     * @param workers runs the listeners; shut down by its owner
     * @param wake    signalled when events were written ({@link RunEventsWritten})
     */
    public RunEventRelay(RunEventOutbox outbox, RunEventSink sink, List<RunEventListener> listeners, ExecutorService workers,
                         WakeSignal wake) {
        this.wake = wake;
        this.outbox = outbox;
        this.sink = sink;
        this.listeners = List.copyOf(listeners);
        this.workers = workers;
    }

    @Override
    public void tick(Instant now) {
        lastTick = now;
        markHeard();
        if (now.isBefore(nextTry)) {
            return;
        }
        List<RunEventOutbox.Pending> pending = outbox.pending(BATCH);
        List<RunEventOutbox.Pending> put = new ArrayList<>();
        try {
            for (RunEventOutbox.Pending event : pending) {
                if (withListeners.contains(event.eventId())) {
                    continue;
                }
                if (!event.put()) {
                    try {
                        sink.put(event.event());
                    } catch (RuntimeException e) {
                        LOG.warnf("run event %s could not be published (%s); trying again in %s s", event.eventId(),
                                e.getMessage(), RETRY_AFTER.toSeconds());
                        nextTry = now.plus(RETRY_AFTER);
                        return;
                    }
                }
                put.add(event);
            }
        } finally {
            // Marked in one write for the batch; a crash before it puts these events again (the same ids: no harm).
            if (listeners.isEmpty()) {
                outbox.done(put.stream().map(RunEventOutbox.Pending::eventId).toList());
            } else {
                outbox.put(put.stream().filter(e -> !e.put()).map(RunEventOutbox.Pending::eventId).toList());
                put.forEach(event -> handToListeners(event.eventId(), event.event()));
            }
        }
        if (pending.size() == BATCH) {
            wake.signal(); // more are waiting
        }
    }

    /** Marks done, in one write, the events whose listeners returned since the last tick. */
    private void markHeard() {
        List<String> done = new ArrayList<>();
        for (String id = heard.poll(); id != null; id = heard.poll()) {
            done.add(id);
        }
        try {
            outbox.done(done);
        } finally {
            withListeners.removeAll(done);
        }
    }

    private void handToListeners(String eventId, ObjectNode event) {
        withListeners.add(eventId);
        try {
            workers.execute(() -> {
                try {
                    listeners.forEach(listener -> listener.published(event));
                    heard.add(eventId);
                    wake.signal();
                } catch (RuntimeException e) {
                    LOG.errorf(e, "run event %s: a listener failed; it is handed over again on a later tick", eventId);
                    withListeners.remove(eventId);
                }
            });
        } catch (RejectedExecutionException shuttingDown) {
            withListeners.remove(eventId);
        }
    }

    @Override
    public Optional<Instant> nextWakeUp() {
        Instant retry = nextTry;
        Instant check = lastTick.plus(IDLE_CHECK);
        return Optional.of(retry.isAfter(lastTick) && retry.isBefore(check) ? retry : check);
    }

    @Override
    public void awaitChange(long maxWaitNanos) throws InterruptedException {
        wake.await(maxWaitNanos);
    }
}
