package dev.skiff.workflows;

import java.time.Instant;

/** What an engine must do after a transition. Lifecycle code only emits these; adapters carry them out. */
public sealed interface RunCommand {

    /** Launch the run's pending attempt when {@code notBefore} has come (the state holds the details). */
    record LaunchWhenDue(Instant notBefore) implements RunCommand {
    }

    /** Ask the task to stop; its end still arrives as {@link RunEvent.AttemptEnded}. */
    record StopTask(String taskId, String reason) implements RunCommand {
    }

    /** The run reached a terminal status. */
    record Finished(RunStatus status) implements RunCommand {
    }
}
