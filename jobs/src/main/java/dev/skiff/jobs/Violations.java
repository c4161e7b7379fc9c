package dev.skiff.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Collects the violations of one document. Structural violations (from the JSON Schema) win over
 * semantic ones at the same path, so a value that is already the wrong type is not also reported
 * as, say, an invalid duration.
 */
final class Violations {

    private static final int MAX_VALUE_LENGTH = 80;
    /** The job's secrets and each step's. */
    private static final Pattern SECRET_PATH = Pattern.compile("(steps\\[[0-9]+\\]\\.)?secrets\\.");

    private final String source;
    private final Set<Violation> structural = new LinkedHashSet<>();
    private final Set<Violation> semantic = new LinkedHashSet<>();

    Violations(String source) {
        this.source = source;
    }

    /** A problem found by the schema; value is the node as written, or null when missing. */
    void structural(String path, JsonNode value, String rule) {
        structural.add(new Violation(source, path, render(path, value), rule));
    }

    /** A schema problem with a map key, not a value; keys are never secret. */
    void structuralKey(String path, String key, String rule) {
        structural.add(new Violation(source, path, renderText(key), rule));
    }

    void semantic(String path, JsonNode value, String rule) {
        semantic.add(new Violation(source, path, render(path, value), rule));
    }

    void semanticKey(String path, String key, String rule) {
        semantic.add(new Violation(source, path, renderText(key), rule));
    }

    /** A semantic violation already rendered, found in another scope (a step's fields checked as a job's). */
    void semantic(Violation violation) {
        semantic.add(violation);
    }

    /** A violation already rendered, e.g. a parse error carrying its own location. */
    void add(Violation violation) {
        structural.add(violation);
    }

    String source() {
        return source;
    }

    boolean isEmpty() {
        return structural.isEmpty() && semantic.isEmpty();
    }

    List<Violation> list() {
        var taken = new ArrayList<>(structural);
        var structuralPaths = structural.stream().map(Violation::path).toList();
        semantic.stream().filter(v -> !structuralPaths.contains(v.path())).forEach(taken::add);
        return taken;
    }

    private static String render(String path, JsonNode value) {
        if (value == null || value.isMissingNode()) {
            return null;
        }
        if (SECRET_PATH.matcher(path).lookingAt() && !value.isContainerNode()) {
            // A value under secrets that is not an ARN may be the secret itself: never echo it.
            return SecretText.redact(value.asText());
        }
        return value.isTextual() ? renderText(value.textValue()) : shorten(value.isValueNode() ? value.asText() : value.toString());
    }

    private static String renderText(String text) {
        return text.isBlank() ? '"' + text + '"' : shorten(text);
    }

    private static String shorten(String text) {
        return text.length() <= MAX_VALUE_LENGTH ? text : text.substring(0, MAX_VALUE_LENGTH - 1) + "…";
    }
}
