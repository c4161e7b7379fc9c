package dev.skiff.orchestrator.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** {@code skiff}: the commands, each with its own {@code --help}. Without a command, the jar serves ({@code up}). */
@Command(name = "skiff", description = "Skiff, the job orchestrator: serve it, or talk to a running one.",
        subcommands = {ServiceCommands.Up.class, ServiceCommands.Demo.class, JobsCommand.class, RunsCommand.class,
                RunCommand.class, LogsCommand.class, CancelCommand.class, CostCommand.class, BackfillCommand.class,
                ApplyCommand.class, ValidateCommand.class, CompletionCommand.class},
        footer = {"", "Client commands talk to a running orchestrator: --url or SKIFF_URL (default http://127.0.0.1:8080),"
                + " --token or SKIFF_TOKEN.", "Exit codes: 0 ok, 1 the command's work failed, 2 usage error."})
final class SkiffCommand {

    @Option(names = {"-h", "--help"}, usageHelp = true, scope = ScopeType.INHERIT, description = "show this help")
    boolean help;
}
