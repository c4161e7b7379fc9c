package dev.skiff.orchestrator.app;

import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Wakes a sleeping {@link TickLoop} when new work arrives. A signal sent while the loop is busy is
 * remembered, so the next wait returns at once instead of sleeping past the work.
 */
public final class WakeSignal {

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition signalled = lock.newCondition();
    private boolean pending;

    public void signal() {
        lock.lock();
        try {
            pending = true;
            signalled.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Waits at most {@code maxWaitNanos}, or not at all if a signal came since the last wait. */
    public void await(long maxWaitNanos) throws InterruptedException {
        lock.lock();
        try {
            if (!pending && maxWaitNanos > 0) {
                signalled.awaitNanos(maxWaitNanos);
            }
            pending = false;
        } finally {
            lock.unlock();
        }
    }
}
