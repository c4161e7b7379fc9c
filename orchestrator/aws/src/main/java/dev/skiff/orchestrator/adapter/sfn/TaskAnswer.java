package dev.skiff.orchestrator.adapter.sfn;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.orchestrator.port.TaskReport;
import dev.skiff.workflows.SkiffErrors;
import dev.skiff.workflows.StepOutcome;

/** The answer to a step's task token: SendTaskSuccess with an output, or SendTaskFailure with an error and cause. */
public sealed interface TaskAnswer {

    /** @param output the task state's result (JSON), which the compiled state discards with ResultPath null */
    record Success(String output) implements TaskAnswer {
    }

    /** @param error a {@link SkiffErrors} name, which the compiled Retry and Catch match */
    record Failure(String error, String cause) implements TaskAnswer {
    }

    /** Step Functions' limit for a SendTaskFailure's cause. */
    int MAX_CAUSE = 32_768;

    /**
     * The answer for how the task ended. A Spot interruption reaching this point is one the dispatch side could
     * not relaunch on-demand, so the step's outcome is unknown: {@value SkiffErrors#LOST}.
     */
    static TaskAnswer of(StepOutcome outcome, TaskReport task) {
        if (outcome instanceof StepOutcome.Succeeded) {
            return new Success(output(0, task));
        }
        if (outcome instanceof StepOutcome.Exited e) {
            return e.exitCode() >= 1 && e.exitCode() <= 255
                    ? failure(SkiffErrors.exitCode(e.exitCode()), "the job exited with code " + e.exitCode(), task)
                    : failure(SkiffErrors.LOST, "the job reported exit code " + e.exitCode() + ", outside 1-255", task);
        }
        if (outcome instanceof StepOutcome.TimedOut) {
            return failure(SkiffErrors.TIMEOUT, "the job ran past its timeout", task);
        }
        if (outcome instanceof StepOutcome.CapacityUnavailable c) {
            return failure(SkiffErrors.START_FAILED, c.reason(), task);
        }
        if (outcome instanceof StepOutcome.StartFailed f) {
            return failure(f.retryable() ? SkiffErrors.START_FAILED : SkiffErrors.START_REJECTED, f.reason(), task);
        }
        if (outcome instanceof StepOutcome.SpotInterrupted i) {
            return failure(SkiffErrors.LOST, "Fargate Spot interrupted the task and it was not relaunched: " + i.reason(), task);
        }
        if (outcome instanceof StepOutcome.Lost l) {
            return failure(SkiffErrors.LOST, l.reason(), task);
        }
        if (outcome instanceof StepOutcome.Cancelled c) {
            return failure(SkiffErrors.CANCELLED, c.reason(), task);
        }
        throw new IllegalArgumentException("no answer for outcome " + outcome);
    }

    /** A failure the orchestrator names itself (a bad output, a bad reference), ending with the task as every cause does. */
    static TaskAnswer failed(String error, String why, TaskReport task) {
        return failure(error, why, task);
    }

    /**
     * The cause ends with the task, where it ran and its estimated cost, in a fixed form that the execution's
     * history is read back by ({@code ExecutionHistory}); a long reason is cut, never that ending.
     */
    private static Failure failure(String error, String why, TaskReport task) {
        String ending = " (task " + task.taskArn() + " on " + task.capacity()
                + task.costUsd().map(c -> ", estimated " + c.toPlainString() + " USD").orElse("") + ")";
        int room = Math.max(0, MAX_CAUSE - ending.length());
        return new Failure(error, (why.length() > room ? why.substring(0, room) : why) + ending);
    }

    private static String output(int exitCode, TaskReport task) {
        ObjectNode out = new ObjectMapper().createObjectNode();
        out.put("exitCode", exitCode);
        out.put("taskArn", task.taskArn());
        out.put("capacity", task.capacity());
        task.startedAt().ifPresent(t -> out.put("startedAt", t.toString()));
        task.stoppedAt().ifPresent(t -> out.put("stoppedAt", t.toString()));
        task.costUsd().ifPresent(c -> out.put("costUsd", c));
        return out.toString();
    }
}
