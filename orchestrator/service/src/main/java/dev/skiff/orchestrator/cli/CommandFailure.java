package dev.skiff.orchestrator.cli;

/**
 * A command that could not do its work: what the user reads on stderr (null when it was printed already), and the
 * exit code (1: the thing failed, 2: it was asked wrongly). {@link SkiffCli} prints it; no stack trace reaches a user.
 */
final class CommandFailure extends RuntimeException {

    private final int exitCode;

    CommandFailure(String message, int exitCode) {
        super(message, null, false, false);
        this.exitCode = exitCode;
    }

    int exitCode() {
        return exitCode;
    }
}
