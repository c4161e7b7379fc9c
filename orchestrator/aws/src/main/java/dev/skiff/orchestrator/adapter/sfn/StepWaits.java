package dev.skiff.orchestrator.adapter.sfn;

import dev.skiff.jobs.StepSpec;
import dev.skiff.orchestrator.port.TaskRequest;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.ExecutionDoesNotExistException;

/** Whether a run's execution still waits for a given attempt of its step: asked of the execution's history. */
public final class StepWaits {

    private final SfnClient sfn;
    private final StateMachines machines;

    public StepWaits(SfnClient sfn, StateMachines machines) {
        this.sfn = sfn;
        this.machines = machines;
    }

    /** Whether the execution waits for this attempt of the step {@code main} that runs once. @param attempt 1-based */
    public boolean awaits(String job, String runId, int attempt) {
        return awaits(job, runId, StepSpec.MAIN, TaskRequest.NO_ITEM, attempt);
    }

    /**
     * Whether the execution waits for this attempt of this unit: a step that runs once ({@code item}
     * {@link TaskRequest#NO_ITEM}) or one item of a forEach step.
     */
    public boolean awaits(String job, String runId, String step, int item, int attempt) {
        return machines.arnOf(job).map(machine -> {
            try {
                return ExecutionHistory.read(sfn, ExecutionRuns.executionArn(machine, runId)).awaits(step, item, attempt);
            } catch (ExecutionDoesNotExistException e) {
                return false;
            }
        }).orElse(false);
    }

    /** True once the run's execution has ended (succeeded, failed, timed out, aborted) or is gone. */
    public boolean ended(String job, String runId) {
        return machines.arnOf(job).map(machine -> {
            try {
                return sfn.describeExecution(r -> r.executionArn(ExecutionRuns.executionArn(machine, runId))).status()
                        != ExecutionStatus.RUNNING;
            } catch (ExecutionDoesNotExistException e) {
                return true;
            }
        }).orElse(false);
    }
}
