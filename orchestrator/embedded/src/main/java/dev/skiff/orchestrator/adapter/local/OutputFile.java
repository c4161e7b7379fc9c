package dev.skiff.orchestrator.adapter.local;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.skiff.orchestrator.port.TaskEnd;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The JSON document a task wrote to {@code SKIFF_OUTPUT}, read once its process has ended. At most
 * {@link TaskEnd#MAX_OUTPUT_BYTES} of JSON: the same limit as in AWS mode, where it travels in a Step Functions
 * payload, so a job that works on one engine works on the other.
 */
final class OutputFile {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The output, or why it cannot be used. */
    sealed interface Read {
    }

    record None() implements Read {
    }

    record Document(String json) implements Read {
    }

    record Bad(String reason) implements Read {
    }

    private OutputFile() {
    }

    static Read read(Path file) {
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            return new None();
        }
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            return new Bad("SKIFF_OUTPUT " + file + " is not a regular file");
        }
        try {
            long size = Files.size(file);
            if (size > TaskEnd.MAX_OUTPUT_BYTES) {
                return new Bad("SKIFF_OUTPUT " + file + " is " + size + " bytes; an output may be at most "
                        + TaskEnd.MAX_OUTPUT_BYTES + " bytes (256 KiB)");
            }
            String text = Files.readString(file, StandardCharsets.UTF_8);
            var node = JSON.readTree(text);
            if (node == null || node.isMissingNode()) {
                return new Bad("SKIFF_OUTPUT " + file + " is empty; an output must be a JSON document");
            }
            return new Document(node.toString());
        } catch (JsonProcessingException e) {
            return new Bad("SKIFF_OUTPUT " + file + " is not JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            return new Bad("SKIFF_OUTPUT " + file + " cannot be read: " + e.getMessage());
        }
    }

    static Optional<String> json(Read read) {
        return read instanceof Document d ? Optional.of(d.json()) : Optional.empty();
    }
}
