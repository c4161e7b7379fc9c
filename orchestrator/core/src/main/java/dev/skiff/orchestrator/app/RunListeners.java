package dev.skiff.orchestrator.app;

import dev.skiff.orchestrator.port.RunListener;
import dev.skiff.workflows.Attempt;
import dev.skiff.workflows.Run;
import java.util.List;

/** Several listeners heard as one, in order. */
public final class RunListeners implements RunListener {

    private final List<RunListener> listeners;

    public RunListeners(List<RunListener> listeners) {
        this.listeners = List.copyOf(listeners);
    }

    @Override
    public void runCreated(Run run) {
        listeners.forEach(l -> l.runCreated(run));
    }

    @Override
    public void attemptLaunched(Run run, Attempt attempt) {
        listeners.forEach(l -> l.attemptLaunched(run, attempt));
    }

    @Override
    public void attemptEnded(Run run, Attempt attempt) {
        listeners.forEach(l -> l.attemptEnded(run, attempt));
    }

    @Override
    public void runFinished(Run run) {
        listeners.forEach(l -> l.runFinished(run));
    }
}
