package dev.skiff.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * Environment, secret and parameter names all become environment variables of one process:
 * SKIFF_ is reserved for what Skiff itself passes, and two sources may not set the same name.
 */
final class VariableNameRule implements SpecRule {

    static final String RESERVED_PREFIX = "SKIFF_";

    @Override
    public void check(JsonNode root, Violations out) {
        List<String> environment = SpecNodes.fieldNames(root.path("environment"));
        List<String> secrets = SpecNodes.fieldNames(root.path("secrets"));
        List<String> parameters = SpecNodes.fieldNames(root.path("parameters"));
        reserved("environment", environment, out);
        reserved("secrets", secrets, out);
        reserved("parameters", parameters, out);
        collisions("environment", environment, "parameters", parameters, out);
        collisions("environment", environment, "secrets", secrets, out);
        collisions("secrets", secrets, "parameters", parameters, out);
    }

    // Loops, not streams: this runs for every spec a registry reads, and the pipelines made it a large JIT compilation.
    private static void reserved(String field, List<String> names, Violations out) {
        for (String n : names) {
            if (n.startsWith(RESERVED_PREFIX)) {
                out.semanticKey(SpecPaths.field(field, n), n, "must not start with " + RESERVED_PREFIX + " (reserved for variables Skiff sets)");
            }
        }
    }

    private static void collisions(String field, List<String> names, String otherField, List<String> others, Violations out) {
        if (others.isEmpty()) {
            return;
        }
        for (String n : names) {
            if (others.contains(n)) {
                out.semanticKey(SpecPaths.field(field, n), n, "is also declared in " + otherField + " (each variable name may come from one place)");
            }
        }
    }
}
