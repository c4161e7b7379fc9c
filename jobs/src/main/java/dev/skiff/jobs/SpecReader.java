package dev.skiff.jobs;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.Optional;
import org.yaml.snakeyaml.LoaderOptions;

/** Reads spec text (YAML, or JSON, which the YAML parser also reads) into a tree. */
final class SpecReader {

    /** A spec nests a handful of levels; event patterns a few more. */
    static final int MAX_NESTING_DEPTH = 40;
    /** Aliases would let a small document expand into a huge tree ("billion laughs"); specs have no use for many. */
    static final int MAX_ALIASES = 20;
    /** What the aliases may add to a document in all: a spec's repeated environment or tags, not a billion laughs. */
    static final int MAX_EXPANDED_TOKENS = 10_000;

    // Duplicate keys would otherwise silently keep the last value: an author's edit that has no effect.
    private static final ObjectMapper YAML = new ObjectMapper(new AnchorsYamlFactory(YAMLFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .loaderOptions(loaderOptions())
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING_DEPTH).build())));

    private static LoaderOptions loaderOptions() {
        LoaderOptions options = new LoaderOptions();
        options.setNestingDepthLimit(MAX_NESTING_DEPTH);
        options.setMaxAliasesForCollections(MAX_ALIASES);
        options.setAllowRecursiveKeys(false);
        return options;
    }

    private SpecReader() {
    }

    /** The document's tree, or empty with a violation (carrying line and column) added to out. */
    static Optional<JsonNode> read(String text, Violations out, String source) {
        try {
            JsonNode root = tree(text == null ? "" : text);
            if (root == null || root.isMissingNode() || root.isNull()) {
                out.add(new Violation(source, "", null, "is empty: expected a job spec (a mapping with name, owner, image, command)"));
                return Optional.empty();
            }
            return plainValuesOnly(root, out, source) ? Optional.of(root) : Optional.empty();
        } catch (JsonProcessingException e) {
            out.add(new Violation(source, "", null, "is not valid YAML or JSON" + where(e.getLocation()) + ": " + firstLine(e.getOriginalMessage())));
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("reading text in memory failed", e); // a String has no I/O to fail
        }
    }

    /** The first document's tree, aliases given their anchors' values; null for none. */
    private static JsonNode tree(String text) throws IOException {
        try (JsonParser parser = new AliasExpandingParser((YAMLParser) YAML.getFactory().createParser(text), MAX_ALIASES,
                MAX_EXPANDED_TOKENS, MAX_NESTING_DEPTH)) {
            return YAML.readTree(parser);
        }
    }

    /**
     * A YAML tag such as {@code !!binary} makes a value that is neither text nor number, which no field of a spec
     * takes; each one is reported with its path. Nearly every document has none, so the tree is first searched
     * without naming paths (a path string for each of 100,000 documents' nodes was a tenth of what checking them
     * allocated), and walked again with paths only when there is one to report.
     */
    private static boolean plainValuesOnly(JsonNode root, Violations out, String source) {
        if (!hasTagged(root)) {
            return true;
        }
        reportTagged(root, out, source);
        return false;
    }

    /** Walked without recursion, so depth costs no stack. */
    private static boolean hasTagged(JsonNode root) {
        Deque<JsonNode> pending = new ArrayDeque<>();
        pending.push(root);
        while (!pending.isEmpty()) {
            JsonNode node = pending.pop();
            if (isTagged(node)) {
                return true;
            }
            if (node.isContainerNode()) {
                node.elements().forEachRemaining(pending::push);
            }
        }
        return false;
    }

    private static void reportTagged(JsonNode root, Violations out, String source) {
        Deque<Map.Entry<String, JsonNode>> pending = new ArrayDeque<>();
        pending.push(Map.entry("", root));
        while (!pending.isEmpty()) {
            var next = pending.pop();
            JsonNode node = next.getValue();
            if (isTagged(node)) {
                out.add(new Violation(source, next.getKey(), null, "is a " + (node.isBinary() ? "!!binary" : "tagged")
                        + " value: write plain text (YAML tags other than the standard scalars are not read)"));
            } else if (node.isObject()) {
                node.fields().forEachRemaining(f -> pending.push(Map.entry(SpecPaths.field(next.getKey(), f.getKey()), f.getValue())));
            } else if (node.isArray()) {
                for (int i = 0; i < node.size(); i++) {
                    pending.push(Map.entry(SpecPaths.item(next.getKey(), i), node.get(i)));
                }
            }
        }
    }

    private static boolean isTagged(JsonNode node) {
        return node.isBinary() || node.isPojo();
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
