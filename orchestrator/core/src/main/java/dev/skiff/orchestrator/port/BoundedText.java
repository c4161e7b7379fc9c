package dev.skiff.orchestrator.port;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Reads a text that someone other than Skiff wrote (a spec in a registry's directory or bucket, a step's output in
 * S3) up to a bound: whoever may write there must not be able to make Skiff read gigabytes into its heap, and a size
 * checked before the read could change before it.
 */
public final class BoundedText {

    private BoundedText() {
    }

    /**
     * The UTF-8 text, or empty when the stream holds more than {@code maxBytes} (of which one byte past the bound is
     * read, no more; the caller closes or aborts the stream).
     */
    public static Optional<String> read(InputStream in, int maxBytes) throws IOException {
        byte[] bytes = in.readNBytes(maxBytes + 1);
        if (bytes.length > maxBytes) {
            return Optional.empty();
        }
        return Optional.of(new String(bytes, StandardCharsets.UTF_8));
    }
}
