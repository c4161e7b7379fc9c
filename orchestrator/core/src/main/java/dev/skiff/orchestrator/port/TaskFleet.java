package dev.skiff.orchestrator.port;

import dev.skiff.jobs.JobSpec;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * A launcher's tasks for a runtime that keeps no list of them: each one is found again by asking the platform, so
 * that any replica (or this one after a restart) picks up where another left off, and a task's end reaches the
 * listener whether the launcher polled for it or was told by a platform event. The Step Functions runtime uses it
 * beside {@link TaskLauncher}; a launcher that offers it reports every end, polled or told, through one path and
 * once per task in this process.
 */
public interface TaskFleet {

    /**
     * How every stop asked for because an attempt ran past its timeout begins its reason: the platform may report such
     * a stop like a cancel, and only the reason tells the two apart afterwards, so the task's end says TimedOut.
     */
    String TIMEOUT_STOP_REASON = "Skiff: timed out";

    /**
     * Whom to tell of the end of a task this process does not watch: any replica may hear of any task.
     *
     * @param jobs the current spec of a job by name, to price a task whose document lacks its size
     */
    void listenToAll(TaskListener listener, Function<String, Optional<JobSpec>> jobs);

    /**
     * Starts the attempt's task without watching it here: its end comes from an event or a sweep.
     *
     * @param lookFirst true when this launch may have been asked for before (a redelivered message): a task of the
     *                  attempt that exists already is returned instead of starting a second one
     * @throws LaunchFailedException when no task was started
     */
    LaunchedTask launch(TaskRequest request, boolean lookFirst);

    /**
     * After the platform took back one of the attempt's tasks (a Spot interruption): the task that already replaced
     * it, if a repeated event got here first, or a new one on the request's capacity.
     *
     * @throws LaunchFailedException when no task was started
     */
    LaunchedTask relaunch(TaskRequest request, String interruptedTaskId);

    /** The launcher's tasks that the platform means to keep running. */
    List<TaskView> running();

    /** The launcher's tasks that stopped recently (as long as the platform still shows them). */
    List<TaskView> stopped();

    /** The tasks of a run's attempts 1 to {@code attempts} that have not stopped. */
    List<TaskView> runningTasksOf(String runId, int attempts);

    /** Asks the platform to stop a task; its end is reported like any other. */
    void stopTask(String taskId, String reason);

    /**
     * The task a platform event is about.
     *
     * @return empty for an event that is not about one of the platform's tasks
     * @throws IllegalArgumentException for a body that cannot be read
     */
    Optional<TaskView> changeOf(String eventBody);

    /**
     * Reports a stopped task's end through the launcher's one end path: to the listener watching it here, else to
     * {@link #listenToAll}'s.
     *
     * @return true when the end was reported now; false when the task has not stopped, runs no attempt of Skiff's,
     * or its end was reported before
     */
    boolean ended(TaskView task);
}
