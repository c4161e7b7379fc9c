package dev.skiff.orchestrator.app;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Runs a {@link Tickable}'s {@code tick} on its own thread until closed: after each tick it sleeps
 * until the next due work, or until the tickable is woken by new work. A failing tick is logged and
 * the loop goes on, so one bad run or schedule cannot stop the others. Tests skip the loop and
 * call {@code tick} with chosen instants.
 */
public final class TickLoop implements AutoCloseable {

    /** Something that does its due work in {@link #tick} and can say when it next has some. */
    public interface Tickable {

        void tick(Instant now);

        /** When tick next has work, if nothing else happens first; empty when only new work can bring some. */
        Optional<Instant> nextWakeUp();

        /** Waits at most the given time, returning early once new work arrived (including work that arrived before the call). */
        void awaitChange(long maxWaitNanos) throws InterruptedException;
    }

    private static final Logger LOG = Logger.getLogger(TickLoop.class);
    /** Upper bound on a sleep, so a clock jump costs at most this much delay. */
    private static final Duration MAX_SLEEP = Duration.ofSeconds(1);

    private final Tickable tickable;
    private final Clock clock;
    private final Thread thread;
    private volatile boolean running = true;

    public TickLoop(String name, Tickable tickable, Clock clock) {
        this.tickable = tickable;
        this.clock = clock;
        this.thread = new Thread(this::loop, name);
        this.thread.setDaemon(true);
    }

    public TickLoop start() {
        thread.start();
        return this;
    }

    private void loop() {
        while (running) {
            try {
                tickable.tick(clock.instant());
                Instant now = clock.instant();
                long sleep = tickable.nextWakeUp()
                        .map(at -> Math.min(Duration.between(now, at).toNanos(), MAX_SLEEP.toNanos()))
                        .orElse(MAX_SLEEP.toNanos());
                tickable.awaitChange(sleep);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Throwable t) {
                LOG.errorf(t, "%s: tick failed; continuing", thread.getName());
                pause();
            }
        }
    }

    private void pause() {
        try {
            Thread.sleep(MAX_SLEEP.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
