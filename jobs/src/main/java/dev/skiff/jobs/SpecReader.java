package dev.skiff.jobs;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.util.Optional;

/** Reads spec text (YAML, or JSON, which the YAML parser also reads) into a tree. */
final class SpecReader {

    // Duplicate keys would otherwise silently keep the last value: an author's edit that has no effect.
    private static final ObjectMapper YAML = new ObjectMapper(YAMLFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build());

    private SpecReader() {
    }

    /** The document's tree, or empty with a violation (carrying line and column) added to out. */
    static Optional<JsonNode> read(String text, Violations out, String source) {
        try {
            JsonNode root = YAML.readTree(text == null ? "" : text);
            if (root == null || root.isMissingNode() || root.isNull()) {
                out.add(new Violation(source, "", null, "is empty: expected a job spec (a mapping with name, owner, image, command)"));
                return Optional.empty();
            }
            return Optional.of(root);
        } catch (JsonProcessingException e) {
            out.add(new Violation(source, "", null, "is not valid YAML or JSON" + where(e.getLocation()) + ": " + firstLine(e.getOriginalMessage())));
            return Optional.empty();
        }
    }

    private static String where(JsonLocation location) {
        if (location == null || location.getLineNr() < 1) {
            return "";
        }
        return " at line " + location.getLineNr() + ", column " + location.getColumnNr();
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable document";
        }
        return message.lines().map(String::strip).filter(l -> !l.isEmpty()).findFirst().orElse(message);
    }
}
