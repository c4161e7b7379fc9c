package dev.skiff.orchestrator.adapter.local;

import dev.skiff.workflows.StepOutcome;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

/** Reads what {@link WrappedCommand}'s wrapper recorded about how the job's command ended. */
final class ExitFile {

    private ExitFile() {
    }

    /**
     * The recorded outcome, or empty when the wrapper wrote none (it was killed, or has not ended).
     *
     * @param command  the job's executable, named in the reason of a start failure
     */
    static Optional<StepOutcome> read(Path exitFile, String command) {
        String content;
        try {
            content = Files.readString(exitFile, StandardCharsets.US_ASCII).strip();
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of(new StepOutcome.Lost("exit status in " + exitFile + " could not be read: " + e.getMessage()));
        }
        return Optional.of(parse(content, command, exitFile));
    }

    /** When the exit status was written, which is when the command ended; empty if there is none. */
    static Optional<Instant> writtenAt(Path exitFile) {
        try {
            return Optional.of(Files.getLastModifiedTime(exitFile).toInstant());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Also the mapping for a wrapper's own exit value when it left no file. */
    static StepOutcome ofExitCode(int code) {
        return code == 0 ? new StepOutcome.Succeeded() : new StepOutcome.Exited(code);
    }

    private static StepOutcome parse(String content, String command, Path exitFile) {
        // Neither start failure is retryable: the same command line would fail the same way.
        if (content.equals(WrappedCommand.NOT_FOUND)) {
            return new StepOutcome.StartFailed("command not found: " + command, false);
        }
        if (content.equals(WrappedCommand.NOT_EXECUTABLE)) {
            return new StepOutcome.StartFailed("command not executable: " + command, false);
        }
        try {
            return ofExitCode(Integer.parseInt(content));
        } catch (NumberFormatException e) {
            return new StepOutcome.Lost("exit status in " + exitFile + " is not a number: '" + content + "'");
        }
    }
}
