package dev.skiff.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;

/** AWS reserves tag keys starting with aws: (in any case) and rejects the whole TagResource call. */
final class TagRule implements SpecRule {

    private static final String RESERVED_PREFIX = "aws:";

    @Override
    public void check(JsonNode root, Violations out) {
        SpecNodes.fieldNames(root.path("tags")).stream()
                .filter(key -> key.toLowerCase(Locale.ROOT).startsWith(RESERVED_PREFIX))
                .forEach(key -> out.semanticKey(SpecPaths.field("tags", key), key, "must not start with aws: (reserved by AWS)"));
    }
}
