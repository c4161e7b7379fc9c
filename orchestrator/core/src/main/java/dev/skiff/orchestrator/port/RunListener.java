package dev.skiff.orchestrator.port;

import dev.skiff.workflows.Attempt;
import dev.skiff.workflows.Run;

/** Hears what happens to runs, for metrics and logs. Every method has a no-op default; calls come on engine threads. */
public interface RunListener {

    default void runCreated(Run run) {
    }

    default void attemptLaunched(Run run, Attempt attempt) {
    }

    default void attemptEnded(Run run, Attempt attempt) {
    }

    default void runFinished(Run run) {
    }
}
