package dev.skiff.orchestrator.adapter.sfn;

/**
 * Hears each execution the engine stopped. StopExecution ends the execution but not the task it launched,
 * and the engine does not know that task: the dispatch side (which launched it with the run's id in its
 * tags) stops it here.
 */
@FunctionalInterface
public interface CancelledExecutions {

    /** Stops nothing: until a dispatcher is wired in, a cancelled run's task runs to its end. */
    CancelledExecutions NONE = (runId, reason) -> { };

    void stopped(String runId, String reason);
}
