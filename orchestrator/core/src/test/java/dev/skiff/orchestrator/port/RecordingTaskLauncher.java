package dev.skiff.orchestrator.port;

import dev.skiff.workflows.StepOutcome;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

/**
 * A {@link TaskLauncher} that runs nothing: it records each launch and stop, and the test ends an
 * attempt when it chooses with {@link #finish}. Engine-driven tests need no processes with it.
 * A stop is only recorded, as a real task ends later: the test finishes the attempt afterwards.
 *
 * <p>A launch can be made slow ({@link #withLaunchDelay}) or held until the test lets it go
 * ({@link #holdLaunches}), as a RunTask behind a rate limiter is. The task exists from the moment the
 * launch is called (its end may be reported before {@code launch} returns), and the waiting happens
 * outside this launcher's lock, so launches may overlap; {@link #mostLaunchesAtOnce} says how far they did.
 */
public final class RecordingTaskLauncher implements TaskLauncher {

    /** A stop the engine asked for. */
    public record Stop(String taskId, String reason) {
    }

    private final Clock clock;
    private final List<TaskRequest> launches = new ArrayList<>();
    private final List<Stop> stops = new ArrayList<>();
    /** Listeners of attempts launched (or reattached) and not yet finished, by {@code runId/attempt}. */
    private final Map<String, TaskListener> running = new HashMap<>();
    /** The requests of those attempts, by the same key. */
    private final Map<String, TaskRequest> requests = new HashMap<>();
    private volatile Duration launchDelay = Duration.ZERO;
    private volatile CountDownLatch held = new CountDownLatch(0);
    private int inFlight;
    private int mostAtOnce;

    public RecordingTaskLauncher(Clock clock) {
        this.clock = clock;
    }

    /** Makes every launch take this long before it returns. */
    public RecordingTaskLauncher withLaunchDelay(Duration delay) {
        this.launchDelay = delay;
        return this;
    }

    /** Launches called from now on wait in {@code launch} until {@link #releaseLaunches}. */
    public void holdLaunches() {
        held = new CountDownLatch(1);
    }

    public void releaseLaunches() {
        held.countDown();
    }

    @Override
    public LaunchedTask launch(TaskRequest request, TaskListener listener) {
        Instant calledAt = clock.instant();
        CountDownLatch gate = held;
        synchronized (this) {
            launches.add(request);
            running.put(key(request.runId(), request.attempt()), listener);
            requests.put(key(request.runId(), request.attempt()), request);
            inFlight++;
            mostAtOnce = Math.max(mostAtOnce, inFlight);
        }
        try {
            Thread.sleep(launchDelay.toMillis());
            gate.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while launching " + key(request.runId(), request.attempt()), e);
        } finally {
            synchronized (this) {
                inFlight--;
            }
        }
        // Started when asked, as ECS dates a task by its creation: a slow launch may return past the deadline.
        return new LaunchedTask(key(request.runId(), request.attempt()), "recorded", calledAt,
                "memory:" + key(request.runId(), request.attempt()));
    }

    @Override
    public synchronized void reattach(TaskRequest request, LaunchedTask task, TaskListener listener) {
        running.put(key(request.runId(), request.attempt()), listener);
        requests.put(key(request.runId(), request.attempt()), request);
    }

    @Override
    public synchronized void stop(LaunchedTask task, String reason) {
        stops.add(new Stop(task.taskId(), reason));
    }

    /**
     * Ends a running attempt with the outcome, at the clock's instant, as a launcher reports it.
     *
     * @throws IllegalStateException when that attempt is not running here
     */
    public void finish(String runId, int attempt, StepOutcome outcome) {
        TaskListener listener;
        TaskRequest request;
        synchronized (this) {
            listener = running.remove(key(runId, attempt));
            request = requests.remove(key(runId, attempt));
        }
        if (listener == null) {
            throw new IllegalStateException("attempt " + key(runId, attempt) + " is not running; running: " + running.keySet());
        }
        Instant now = clock.instant();
        TaskReport report = new TaskReport(key(runId, attempt), "recorded", Optional.empty(), Optional.of(now), Optional.empty());
        // Outside the lock, as from a launcher thread.
        listener.taskEnded(new TaskEnd(runId, request.job().name(), request.step(), attempt, outcome, now, report,
                request.environment()));
    }

    public synchronized List<TaskRequest> launches() {
        return List.copyOf(launches);
    }

    public synchronized List<Stop> stops() {
        return List.copyOf(stops);
    }

    /** Launch calls under way now: called, not yet returned. */
    public synchronized int launchesInFlight() {
        return inFlight;
    }

    /** The most launch calls that were under way at the same time. */
    public synchronized int mostLaunchesAtOnce() {
        return mostAtOnce;
    }

    private static String key(String runId, int attempt) {
        return runId + "/" + attempt;
    }
}
