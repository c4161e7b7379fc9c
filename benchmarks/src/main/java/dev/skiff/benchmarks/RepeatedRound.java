package dev.skiff.benchmarks;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A round the benchmark plays over and over on its own thread (playing a part of AWS for the service), each a fixed
 * delay after the last. A round that fails is counted, the first few printed, and the next round tries again.
 */
final class RepeatedRound implements AutoCloseable {

    /** One round; what it could not do it leaves for the next. */
    @FunctionalInterface
    interface Round {
        void play() throws Exception;
    }

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final AtomicInteger errors = new AtomicInteger();
    /** Set by {@link #close}: a round it interrupts (an SDK call aborted) did not fail. */
    private volatile boolean closing;

    /** @param what what the round plays, for the printed failures ("playing ECS") */
    RepeatedRound(String what, long everyMs, Round round) {
        timer.scheduleWithFixedDelay(() -> {
            try {
                round.play();
            } catch (Exception e) {
                if (!closing && errors.incrementAndGet() <= 3) {
                    System.out.println("  (" + what + " failed once: " + e + ")");
                }
            }
        }, 0, everyMs, TimeUnit.MILLISECONDS);
    }

    /** How many rounds failed. */
    int errors() {
        return errors.get();
    }

    @Override
    public void close() throws InterruptedException {
        closing = true;
        timer.shutdownNow();
        timer.awaitTermination(30, TimeUnit.SECONDS);
    }
}
