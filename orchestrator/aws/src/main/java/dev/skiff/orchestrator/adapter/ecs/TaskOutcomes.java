package dev.skiff.orchestrator.adapter.ecs;

import dev.skiff.orchestrator.port.TaskFleet;
import dev.skiff.workflows.StepOutcome;
import java.util.Optional;
import software.amazon.awssdk.services.ecs.model.Container;
import software.amazon.awssdk.services.ecs.model.Task;
import software.amazon.awssdk.services.ecs.model.TaskStopCode;

/**
 * How an ECS task ended, as a step outcome: a pure function of the task document, so the poller here
 * and the ECS task-state events of the Step Functions mode (the event's {@code detail} is a task) agree.
 */
public final class TaskOutcomes {

    /** The name of the one container in every task definition Skiff registers: the job. */
    public static final String CONTAINER = "job";
    /**
     * How every stop Skiff asks for because an attempt ran past its timeout begins its reason: ECS reports
     * such a stop as USER_INITIATED, like a cancel, and only the reason tells the two apart afterwards.
     */
    public static final String TIMEOUT_STOP_REASON = TaskFleet.TIMEOUT_STOP_REASON;

    private TaskOutcomes() {
    }

    /** Empty while the task has not stopped. */
    public static Optional<StepOutcome> of(Task task) {
        if (!"STOPPED".equals(task.lastStatus())) {
            return Optional.empty();
        }
        String reason = task.stoppedReason() == null ? "" : task.stoppedReason();
        Optional<Container> job = essentialContainer(task);
        TaskStopCode code = task.stopCode();
        if (code == TaskStopCode.SPOT_INTERRUPTION) {
            return Optional.of(new StepOutcome.SpotInterrupted(or(reason, "Fargate Spot took the capacity back")));
        }
        if (code == TaskStopCode.TASK_FAILED_TO_START) {
            String containerReason = job.map(Container::reason).orElse(null);
            return Optional.of(StartFailures.classify(join(reason, containerReason)));
        }
        if (code == TaskStopCode.USER_INITIATED && reason.startsWith(TIMEOUT_STOP_REASON)) {
            return Optional.of(new StepOutcome.TimedOut());
        }
        if (code == TaskStopCode.USER_INITIATED) {
            return Optional.of(new StepOutcome.Cancelled(or(reason, "the task was stopped")));
        }
        if (code == TaskStopCode.TERMINATION_NOTICE || code == TaskStopCode.SERVICE_SCHEDULER_INITIATED) {
            return Optional.of(new StepOutcome.Lost(code + ": " + or(reason, "ECS stopped the task")));
        }
        Optional<Integer> exitCode = job.map(Container::exitCode);
        if (exitCode.isPresent()) {
            int exit = exitCode.get();
            return Optional.of(exit == 0 ? new StepOutcome.Succeeded() : new StepOutcome.Exited(exit));
        }
        Optional<String> containerReason = job.map(Container::reason).filter(r -> !r.isBlank());
        if (containerReason.isPresent()) {
            return Optional.of(StartFailures.classify(join(reason, containerReason.get())));
        }
        return Optional.of(new StepOutcome.Lost("the task stopped without an exit code"
                + (reason.isBlank() ? "" : ": " + reason)));
    }

    static Optional<Container> essentialContainer(Task task) {
        if (!task.hasContainers() || task.containers().isEmpty()) {
            return Optional.empty();
        }
        return task.containers().stream().filter(c -> CONTAINER.equals(c.name())).findFirst()
                .or(() -> Optional.of(task.containers().get(0)));
    }

    private static String or(String value, String otherwise) {
        return value.isBlank() ? otherwise : value;
    }

    private static String join(String taskReason, String containerReason) {
        if (containerReason == null || containerReason.isBlank() || taskReason.contains(containerReason)) {
            return taskReason;
        }
        return taskReason.isBlank() ? containerReason : taskReason + " (" + containerReason + ")";
    }
}
