package dev.skiff.orchestrator.adapter.embedded;

import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads launch calls run on, outside the engine's lock: one per slot, up to {@link #MOST}, so slow
 * launches (RunTask, a rate limiter's wait) overlap. Idle threads go away. They are daemons, so a launch under
 * way never keeps the JVM alive; a run whose launch was cut short launches again after a restart, as after a crash.
 */
final class LaunchThreads implements Executor, AutoCloseable {

    /** Beyond this, launches wait for a thread (holding their slot); RunTask's rate limit is far lower anyway. */
    static final int MOST = 64;
    private static final long IDLE_SECONDS = 30;
    /** How long {@link #close} waits for launch calls under way, so each is recorded. */
    private static final long CLOSE_WAIT_SECONDS = 10;

    private final ThreadPoolExecutor pool;

    LaunchThreads(int slots) {
        int threads = Math.min(slots, MOST);
        var count = new AtomicInteger();
        pool = new ThreadPoolExecutor(threads, threads, IDLE_SECONDS, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "skiff-launch-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        pool.allowCoreThreadTimeOut(true);
    }

    @Override
    public void execute(Runnable launch) {
        pool.execute(launch);
    }

    /** Takes no more launches, and waits a little for those under way. */
    @Override
    public void close() {
        pool.shutdown();
        try {
            pool.awaitTermination(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
