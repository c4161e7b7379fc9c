package dev.skiff.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/**
 * Values that become a process's command line or environment must be text a process can be given
 * ({@link LaunchableText}); otherwise every start of the job would fail the same way.
 */
final class LaunchableTextRule implements SpecRule {

    @Override
    public void check(JsonNode root, Violations out) {
        for (String list : List.of("command", "args")) {
            List<JsonNode> items = SpecNodes.items(root.path(list));
            for (int i = 0; i < items.size(); i++) {
                check(SpecPaths.item(list, i), items.get(i), out);
            }
        }
        for (Map.Entry<String, JsonNode> variable : SpecNodes.fields(root.path("environment"))) {
            check(SpecPaths.field("environment", variable.getKey()), variable.getValue(), out);
        }
        for (Map.Entry<String, JsonNode> parameter : SpecNodes.fields(root.path("parameters"))) {
            check(SpecPaths.field(SpecPaths.field("parameters", parameter.getKey()), "default"),
                    parameter.getValue().path("default"), out);
        }
    }

    private static void check(String at, JsonNode value, Violations out) {
        if (value.isTextual()) {
            LaunchableText.problem(value.textValue()).ifPresent(what -> out.semantic(at, value,
                    "must not contain " + what + ": an environment variable cannot carry it"));
        }
    }
}
