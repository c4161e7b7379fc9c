package dev.skiff.orchestrator.adapter.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import dev.skiff.jobs.StepSpec;
import dev.skiff.orchestrator.port.TaskRequest;
import dev.skiff.orchestrator.port.UnitIds;

/**
 * Where one attempt's files live. The paths derive from the unit (run id, step, item) and attempt alone, so that an
 * orchestrator restarted from nothing but a {@code LaunchedTask} finds the exit status again. The single step
 * {@code main} of a one-step job keeps the layout it always had ({@code <run>/attempt-<n>.*}); a pipeline's units
 * have a directory each under the run's ({@code <run>/<step>/}, {@code <run>/<step>-<item>/}).
 *
 * @param key    the unit attempt's id ({@link TaskRequest#unitId()}), among those a launcher watches
 * @param output where the task may write its JSON output ({@code SKIFF_OUTPUT}), in its own scratch directory
 */
record AttemptFiles(String key, int attempt, Path log, Path exit, Path scratch, Path output) {

    /** Run ids are generated as letters, digits, '-' and '_'; checked again because they become paths. */
    private static final Pattern RUN_ID = Pattern.compile("[A-Za-z0-9_-]{1,80}");
    /** Step names as the spec allows them; checked again because they become paths. */
    private static final Pattern STEP = Pattern.compile("[a-z][a-z0-9-]{0,31}");

    static AttemptFiles of(ProcessLauncherOptions options, TaskRequest request) {
        return of(options, request.runId(), request.step(), request.item(), request.attempt());
    }

    static AttemptFiles of(ProcessLauncherOptions options, String runId, int attempt) {
        return of(options, runId, StepSpec.MAIN, TaskRequest.NO_ITEM, attempt);
    }

    static AttemptFiles of(ProcessLauncherOptions options, String runId, String step, int item, int attempt) {
        if (runId == null || !RUN_ID.matcher(runId).matches()) {
            throw new IllegalArgumentException("run id must be 1-80 letters, digits, '-' or '_', was " + runId);
        }
        if (attempt < 0) {
            throw new IllegalArgumentException("attempt must not be negative, was " + attempt);
        }
        if (step == null || !STEP.matcher(step).matches()) {
            throw new IllegalArgumentException("step must be 1-32 lowercase letters, digits or '-', was " + step);
        }
        Path runLogs = options.logsDirectory().toAbsolutePath().resolve(runId);
        Path runScratch = options.scratchDirectory().toAbsolutePath().resolve(runId);
        if (!StepSpec.MAIN.equals(step) || item != TaskRequest.NO_ITEM) {
            String unit = item == TaskRequest.NO_ITEM ? step : step + "-" + item;
            runLogs = runLogs.resolve(unit);
            runScratch = runScratch.resolve(unit);
        }
        String name = "attempt-" + attempt;
        Path scratch = runScratch.resolve(name);
        return new AttemptFiles(UnitIds.of(runId, step, item, attempt), attempt, runLogs.resolve(name + ".log"),
                runLogs.resolve(name + ".exit"), scratch, scratch.resolve("output.json"));
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
        Files.deleteIfExists(output);
        OwnerOnly.file(log);
        OwnerOnly.file(exitTemp());
    }
}
