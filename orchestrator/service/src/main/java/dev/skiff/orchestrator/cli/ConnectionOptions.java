package dev.skiff.orchestrator.cli;

import picocli.CommandLine.Option;

/** {@code --url}, {@code --token} and {@code --insecure}: which orchestrator a command talks to, and as which team. */
final class ConnectionOptions {

    @Option(names = "--url", paramLabel = "URL",
            description = "the orchestrator (default: $SKIFF_URL, else " + OrchestratorConnection.DEFAULT_URL + ")")
    String url;

    @Option(names = "--token", paramLabel = "TOKEN", description = "your team's API key (default: $SKIFF_TOKEN); "
            + "sent to another machine over https only")
    String token;

    @Option(names = "--insecure", description = "send the token over plain http to another machine (a trusted network only)")
    boolean insecure;

    /** The connection, or a usage failure (exit 2) when the token must not go to that URL: open() said why. */
    OrchestratorConnection connect(String command, Terminal terminal) {
        String target = url != null ? url : terminal.env().getOrDefault("SKIFF_URL", OrchestratorConnection.DEFAULT_URL);
        String key = token != null ? token : terminal.env().get("SKIFF_TOKEN");
        return OrchestratorConnection.open(command, target, key, insecure, terminal.err())
                .orElseThrow(() -> new CommandFailure(null, 2));
    }
}
