package dev.skiff.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Values that become a process's command line or environment must be text a process can be given
 * ({@link LaunchableText}); otherwise every start of the job would fail the same way. A value's path is written only
 * when it is reported: nearly every value passes, and a path for each was most of this rule's cost.
 */
final class LaunchableTextRule implements SpecRule {

    private static final List<String> LISTS = List.of("command", "args");

    @Override
    public void check(JsonNode root, Violations out) {
        for (String list : LISTS) {
            List<JsonNode> items = SpecNodes.items(root.path(list));
            for (int i = 0; i < items.size(); i++) {
                JsonNode value = items.get(i);
                Optional<String> problem = problem(value);
                if (problem.isPresent()) {
                    report(SpecPaths.item(list, i), value, problem.get(), out);
                }
            }
        }
        for (Map.Entry<String, JsonNode> variable : SpecNodes.fields(root.path("environment"))) {
            Optional<String> problem = problem(variable.getValue());
            if (problem.isPresent()) {
                report(SpecPaths.field("environment", variable.getKey()), variable.getValue(), problem.get(), out);
            }
        }
        for (Map.Entry<String, JsonNode> parameter : SpecNodes.fields(root.path("parameters"))) {
            JsonNode value = parameter.getValue().path("default");
            Optional<String> problem = problem(value);
            if (problem.isPresent()) {
                report(SpecPaths.field(SpecPaths.field("parameters", parameter.getKey()), "default"), value, problem.get(), out);
            }
        }
    }

    private static Optional<String> problem(JsonNode value) {
        return value.isTextual() ? LaunchableText.problem(value.textValue()) : Optional.empty();
    }

    private static void report(String at, JsonNode value, String what, Violations out) {
        out.semantic(at, value, "must not contain " + what + ": an environment variable cannot carry it");
    }
}
