package dev.skiff.workflows;

import java.util.List;

/** The next state of a run and the commands that go with it. */
public record Transition(Run run, List<RunCommand> commands) {

    public Transition {
        commands = List.copyOf(commands);
    }

    static Transition unchanged(Run run) {
        return new Transition(run, List.of());
    }
}
