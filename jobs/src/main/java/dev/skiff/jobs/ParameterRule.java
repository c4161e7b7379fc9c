package dev.skiff.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Parameters must be consistent with themselves and with the triggers that fill them: a trigger
 * that names an undeclared parameter, or cannot fill a required one, would only fail at run time.
 * Plain loops, and paths written only for what is reported: this runs for every spec a registry reads (100,000 at a
 * first start), and its stream pipelines were one of the largest methods the JIT compiled then.
 */
final class ParameterRule implements SpecRule {

    @Override
    public void check(JsonNode root, Violations out) {
        List<Map.Entry<String, JsonNode>> parameters = SpecNodes.fields(root.path("parameters"));
        List<String> declared = new ArrayList<>(parameters.size());
        List<String> requiredWithoutDefault = new ArrayList<>();
        for (Map.Entry<String, JsonNode> p : parameters) {
            declared.add(p.getKey());
            if (p.getValue().path("required").asBoolean(false)) {
                if (p.getValue().has("default")) {
                    out.semantic(SpecPaths.field(SpecPaths.field("parameters", p.getKey()), "default"), p.getValue().get("default"),
                            "must not be set when required is true (a default makes the parameter optional)");
                } else {
                    requiredWithoutDefault.add(p.getKey());
                }
            }
        }

        JsonNode triggers = root.path("triggers");
        List<JsonNode> events = SpecNodes.items(triggers.path("events"));
        for (int i = 0; i < events.size(); i++) {
            checkFilled(SpecPaths.item("triggers.events", i), events.get(i), true, declared, requiredWithoutDefault, out);
        }
        List<JsonNode> after = SpecNodes.items(triggers.path("after"));
        for (int i = 0; i < after.size(); i++) {
            // Without parameters, each declared one is taken from the upstream run's of the same name, if it has it.
            checkFilled(SpecPaths.item("triggers.after", i), after.get(i), after.get(i).has("parameters"),
                    declared, requiredWithoutDefault, out);
        }
        List<JsonNode> schedules = SpecNodes.items(triggers.path("schedules"));
        for (int i = 0; i < schedules.size() && !requiredWithoutDefault.isEmpty(); i++) {
            String at = SpecPaths.item("triggers.schedules", i);
            for (String name : requiredWithoutDefault) {
                out.semantic(at, null, "cannot start the job: a schedule gives no parameters and " + name + " is required without a default");
            }
        }
    }

    /** A trigger's parameters: each one declared, and (when {@code mustFillRequired}) each required one there. */
    private static void checkFilled(String trigger, JsonNode node, boolean mustFillRequired, List<String> declared,
            List<String> requiredWithoutDefault, Violations out) {
        List<String> filled = SpecNodes.fieldNames(node.path("parameters"));
        for (String name : filled) {
            if (!declared.contains(name)) {
                out.semantic(SpecPaths.field(SpecPaths.field(trigger, "parameters"), name), null,
                        "is not a declared parameter (" + declaredText(declared) + ")");
            }
        }
        if (mustFillRequired) {
            for (String name : requiredWithoutDefault) {
                if (!filled.contains(name)) {
                    out.semantic(SpecPaths.field(trigger, "parameters"), null, "does not set required parameter " + name);
                }
            }
        }
    }

    private static String declaredText(List<String> declared) {
        return declared.isEmpty() ? "none are declared under parameters" : "declared: " + String.join(", ", declared);
    }
}
