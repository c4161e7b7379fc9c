package dev.skiff.orchestrator.port;

import dev.skiff.jobs.JobSpecs;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Reads a spec's text from a registry's file or object, at most {@link JobSpecs#MAX_TEXT_BYTES}: whoever may write to
 * a spec directory or bucket must not be able to make Skiff read gigabytes into its heap with one file.
 */
public final class SpecTexts {

    private SpecTexts() {
    }

    /**
     * The text, or empty when the stream holds more than {@link JobSpecs#MAX_TEXT_BYTES} (of which no more than one
     * byte past the bound is read; the caller closes or aborts the stream).
     */
    public static Optional<String> readBounded(InputStream in) throws IOException {
        byte[] bytes = in.readNBytes(JobSpecs.MAX_TEXT_BYTES + 1);
        if (bytes.length > JobSpecs.MAX_TEXT_BYTES) {
            return Optional.empty();
        }
        return Optional.of(new String(bytes, StandardCharsets.UTF_8));
    }
}
