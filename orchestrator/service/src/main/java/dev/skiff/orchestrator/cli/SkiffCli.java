package dev.skiff.orchestrator.cli;

import java.util.Arrays;

/** The client commands of the orchestrator jar; placeholder before picocli. */
final class SkiffCli {

    private SkiffCli() {
    }

    static int execute(Terminal terminal, String... args) {
        String command = args[0];
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        return switch (command) {
            case "validate" -> ValidateCommand.run(rest, terminal.out());
            case "apply" -> ApplyCommand.run(rest, terminal.env(), terminal.out(), terminal.err());
            case "backfill" -> BackfillCommand.run(rest, terminal.env(), terminal.out(), terminal.err(), terminal.poll());
            default -> 2;
        };
    }
}
