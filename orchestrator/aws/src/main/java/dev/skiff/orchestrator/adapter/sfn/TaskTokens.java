package dev.skiff.orchestrator.adapter.sfn;

import dev.skiff.orchestrator.port.TaskReport;
import dev.skiff.workflows.StepOutcome;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.InvalidTokenException;
import software.amazon.awssdk.services.sfn.model.TaskDoesNotExistException;
import software.amazon.awssdk.services.sfn.model.TaskTimedOutException;

/**
 * Answers the task tokens of the compiled task states: how a step's task ended, and that it still runs.
 * Answering a token twice, or one whose step has already timed out, changes nothing, so a repeated event
 * or a reconciler racing an event is harmless. Moto answers InvalidToken for a token whose step has closed;
 * AWS answers it for a token that was never valid. Either way there is nothing to answer.
 */
public final class TaskTokens {

    /** What became of an answer. */
    public enum Delivery { DELIVERED, ALREADY_CLOSED }

    private final SfnClient sfn;

    public TaskTokens(SfnClient sfn) {
        this.sfn = sfn;
    }

    /** Sends SendTaskSuccess or SendTaskFailure for the task's outcome. */
    public Delivery answer(String taskToken, StepOutcome outcome, TaskReport task) {
        return answer(taskToken, TaskAnswer.of(outcome, task));
    }

    /** Sends the answer as it is: an items request's items, a step's output, or an error the dispatcher named. */
    public Delivery answer(String taskToken, TaskAnswer answer) {
        try {
            if (answer instanceof TaskAnswer.Success s) {
                sfn.sendTaskSuccess(r -> r.taskToken(taskToken).output(s.output()));
            } else if (answer instanceof TaskAnswer.Failure f) {
                sfn.sendTaskFailure(r -> r.taskToken(taskToken).error(f.error()).cause(bounded(f.cause())));
            }
            return Delivery.DELIVERED;
        } catch (TaskDoesNotExistException | TaskTimedOutException | InvalidTokenException closed) {
            return Delivery.ALREADY_CLOSED;
        }
    }

    private static String bounded(String cause) {
        return cause.length() > TaskAnswer.MAX_CAUSE ? cause.substring(0, TaskAnswer.MAX_CAUSE) : cause;
    }

    /** Tells Step Functions the step's task still runs, resetting its HeartbeatSeconds. */
    public Delivery heartbeat(String taskToken) {
        try {
            sfn.sendTaskHeartbeat(r -> r.taskToken(taskToken));
            return Delivery.DELIVERED;
        } catch (TaskDoesNotExistException | TaskTimedOutException | InvalidTokenException closed) {
            return Delivery.ALREADY_CLOSED;
        }
    }
}
