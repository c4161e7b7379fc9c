package dev.skiff.orchestrator.cli;

import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code skiff completion bash}: the completion script picocli writes from the commands themselves, so it never lags
 * behind them. It works in bash, and in zsh after {@code autoload -U +X bashcompinit && bashcompinit}.
 */
@Command(name = "completion", description = "Print the shell completion script: source <(skiff completion bash)"
        + " (zsh: run autoload -U +X bashcompinit && bashcompinit first).")
final class CompletionCommand implements Callable<Integer> {

    enum Shell { bash }

    @Parameters(paramLabel = "SHELL", description = "bash (zsh reads it through bashcompinit)")
    Shell shell;
    @Spec
    CommandSpec spec;

    private final Terminal terminal;

    CompletionCommand(Terminal terminal) {
        this.terminal = terminal;
    }

    @Override
    public Integer call() {
        terminal.out().print(AutoComplete.bash("skiff", spec.root().commandLine()));
        return 0;
    }
}
