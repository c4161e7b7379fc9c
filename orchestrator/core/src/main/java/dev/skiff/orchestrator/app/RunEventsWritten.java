package dev.skiff.orchestrator.app;

import dev.skiff.orchestrator.port.RunListener;
import dev.skiff.workflows.Attempt;
import dev.skiff.workflows.Run;

/**
 * Wakes the {@link RunEventRelay} when the embedded engine wrote a run event: with a run's first launch (STARTED) and
 * its end. The event itself is written by the store, with the change; this only saves the relay its wait.
 */
public final class RunEventsWritten implements RunListener {

    private final WakeSignal signal = new WakeSignal();

    public WakeSignal signal() {
        return signal;
    }

    @Override
    public void attemptLaunched(Run run, Attempt attempt) {
        signal.signal();
    }

    @Override
    public void runFinished(Run run) {
        signal.signal();
    }
}
