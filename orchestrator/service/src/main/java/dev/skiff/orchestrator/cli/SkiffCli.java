package dev.skiff.orchestrator.cli;

import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.lang.reflect.Constructor;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;

/**
 * Runs one {@code skiff} command line with picocli: parses it (a usage error prints the command's usage, exit 2),
 * builds each command with the {@link Terminal} it writes to, and turns a {@link CommandFailure} into its line on
 * stderr and its exit code.
 */
final class SkiffCli {

    private SkiffCli() {
    }

    static int execute(Terminal terminal, String... args) {
        return commandLine(terminal).execute(args);
    }

    static CommandLine commandLine(Terminal terminal) {
        var cli = new CommandLine(new SkiffCommand(), new TerminalFactory(terminal));
        cli.setOut(new PrintWriter(new OutputStreamWriter(terminal.out(), StandardCharsets.UTF_8), true));
        cli.setErr(new PrintWriter(new OutputStreamWriter(terminal.err(), StandardCharsets.UTF_8), true));
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        cli.setUsageHelpWidth(100);
        cli.setExecutionExceptionHandler((e, command, parsed) -> {
            if (!(e instanceof CommandFailure failure)) {
                throw e;
            }
            if (failure.getMessage() != null) {
                terminal.err().println(failure.getMessage());
            }
            return failure.exitCode();
        });
        return cli;
    }

    /** Builds a command that takes the terminal with it, any other class (options, converters) as picocli would. */
    private record TerminalFactory(Terminal terminal) implements CommandLine.IFactory {

        @Override
        public <K> K create(Class<K> type) throws Exception {
            try {
                Constructor<K> withTerminal = type.getDeclaredConstructor(Terminal.class);
                withTerminal.setAccessible(true);
                return withTerminal.newInstance(terminal);
            } catch (NoSuchMethodException e) {
                return CommandLine.defaultFactory().create(type);
            }
        }
    }
}
