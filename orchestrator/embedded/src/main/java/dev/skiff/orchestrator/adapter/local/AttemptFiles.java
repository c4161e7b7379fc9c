package dev.skiff.orchestrator.adapter.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * Where one attempt's files live. The paths derive from the run id and attempt alone, so that an
 * orchestrator restarted from nothing but a {@code LaunchedTask} finds the exit status again.
 */
record AttemptFiles(String runId, int attempt, Path log, Path exit, Path scratch) {

    /** Run ids are generated as letters, digits, '-' and '_'; checked again because they become paths. */
    private static final Pattern RUN_ID = Pattern.compile("[A-Za-z0-9_-]{1,80}");

    static AttemptFiles of(ProcessLauncherOptions options, String runId, int attempt) {
        if (runId == null || !RUN_ID.matcher(runId).matches()) {
            throw new IllegalArgumentException("run id must be 1-80 letters, digits, '-' or '_', was " + runId);
        }
        if (attempt < 0) {
            throw new IllegalArgumentException("attempt must not be negative, was " + attempt);
        }
        Path runLogs = options.logsDirectory().toAbsolutePath().resolve(runId);
        String name = "attempt-" + attempt;
        return new AttemptFiles(runId, attempt, runLogs.resolve(name + ".log"), runLogs.resolve(name + ".exit"),
                options.scratchDirectory().toAbsolutePath().resolve(runId).resolve(name));
    }

    /** Identifies the attempt among those a launcher watches. */
    String key() {
        return runId + "/" + attempt;
    }

    /** The temporary file the wrapper renames onto {@link #exit()}; the name must match {@link WrappedCommand}. */
    Path exitTemp() {
        return exit.resolveSibling(exit.getFileName() + ".tmp");
    }

    /**
     * Creates the directories and removes an exit status left by an earlier launch of the same
     * attempt, which would otherwise be read as this launch's outcome. The log is kept: it appends.
     * Everything is owner-only ({@link OwnerOnly}): missing parents are created 700 too; the log and the exit status's temporary file are
     * created here, 600, because the process and the wrapper's shell would create them with the umask
     * (and a shell's {@code >} keeps the mode of a file that exists, which the rename then keeps too).
     */
    void prepare() throws IOException {
        OwnerOnly.directory(log.getParent());
        OwnerOnly.directory(scratch);
        Files.deleteIfExists(exit);
        Files.deleteIfExists(exitTemp());
        OwnerOnly.file(log);
        OwnerOnly.file(exitTemp());
    }
}
