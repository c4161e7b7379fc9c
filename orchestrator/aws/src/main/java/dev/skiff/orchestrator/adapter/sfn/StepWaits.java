package dev.skiff.orchestrator.adapter.sfn;

import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.ExecutionDoesNotExistException;

/** Whether a run's execution still waits for a given attempt of its step: asked of the execution's history. */
public final class StepWaits {

    private final SfnClient sfn;
    private final StateMachines machines;

    public StepWaits(SfnClient sfn, StateMachines machines) {
        this.sfn = sfn;
        this.machines = machines;
    }

    /** @param attempt 1-based */
    public boolean awaits(String job, String runId, int attempt) {
        return machines.arnOf(job).map(machine -> {
            try {
                return ExecutionHistory.read(sfn, ExecutionRuns.executionArn(machine, runId)).awaits(attempt);
            } catch (ExecutionDoesNotExistException e) {
                return false;
            }
        }).orElse(false);
    }
}
