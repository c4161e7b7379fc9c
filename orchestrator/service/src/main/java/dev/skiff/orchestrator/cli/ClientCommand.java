package dev.skiff.orchestrator.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * A command that talks to a running orchestrator: its {@code --url}, {@code --token}, {@code --insecure} and
 * {@code --output}, and the terminal it writes to.
 */
abstract class ClientCommand implements Callable<Integer> {

    @Mixin
    ConnectionOptions connection;
    @Mixin
    OutputOption output;
    @Spec
    CommandSpec spec;

    final Terminal terminal;

    ClientCommand(Terminal terminal) {
        this.terminal = terminal;
    }

    /** The orchestrator, or a usage failure when the token must not go to it. */
    OrchestratorConnection connect() {
        return connection.connect(spec.name(), terminal);
    }

    /** The answer of {@code GET path}, which must succeed. */
    static String get(OrchestratorConnection api, String path) {
        return api.call(api.request(path).GET().build()).body();
    }
}
