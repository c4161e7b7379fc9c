package dev.skiff.orchestrator.port;

import dev.skiff.workflows.StepOutcome;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link TaskLauncher} that runs nothing: it records each launch and stop, and the test ends an
 * attempt when it chooses with {@link #finish}. Engine-driven tests need no processes with it.
 * A stop is only recorded, as a real task ends later: the test finishes the attempt afterwards.
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

    public RecordingTaskLauncher(Clock clock) {
        this.clock = clock;
    }

    @Override
    public synchronized LaunchedTask launch(TaskRequest request, TaskListener listener) {
        launches.add(request);
        running.put(key(request.runId(), request.attempt()), listener);
        return new LaunchedTask(key(request.runId(), request.attempt()), "recorded", clock.instant(),
                "memory:" + key(request.runId(), request.attempt()));
    }

    @Override
    public synchronized void reattach(TaskRequest request, LaunchedTask task, TaskListener listener) {
        running.put(key(request.runId(), request.attempt()), listener);
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
        synchronized (this) {
            listener = running.remove(key(runId, attempt));
        }
        if (listener == null) {
            throw new IllegalStateException("attempt " + key(runId, attempt) + " is not running; running: " + running.keySet());
        }
        listener.taskEnded(runId, attempt, outcome, clock.instant()); // outside the lock, as from a launcher thread
    }

    public synchronized List<TaskRequest> launches() {
        return List.copyOf(launches);
    }

    public synchronized List<Stop> stops() {
        return List.copyOf(stops);
    }

    private static String key(String runId, int attempt) {
        return runId + "/" + attempt;
    }
}
