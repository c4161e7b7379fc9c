package dev.skiff.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/**
 * Parameters must be consistent with themselves and with the triggers that fill them: a trigger
 * that names an undeclared parameter, or cannot fill a required one, would only fail at run time.
 */
final class ParameterRule implements SpecRule {

    @Override
    public void check(JsonNode root, Violations out) {
        List<Map.Entry<String, JsonNode>> parameters = SpecNodes.fields(root.path("parameters"));
        List<String> declared = parameters.stream().map(Map.Entry::getKey).toList();
        List<String> requiredWithoutDefault = parameters.stream()
                .filter(p -> p.getValue().path("required").asBoolean(false) && !p.getValue().has("default"))
                .map(Map.Entry::getKey)
                .toList();
        parameters.stream()
                .filter(p -> p.getValue().path("required").asBoolean(false) && p.getValue().has("default"))
                .forEach(p -> out.semantic(SpecPaths.field(SpecPaths.field("parameters", p.getKey()), "default"),
                        p.getValue().get("default"), "must not be set when required is true (a default makes the parameter optional)"));

        JsonNode triggers = root.path("triggers");
        List<JsonNode> events = SpecNodes.items(triggers.path("events"));
        for (int i = 0; i < events.size(); i++) {
            String at = SpecPaths.field(SpecPaths.item("triggers.events", i), "parameters");
            List<String> filled = SpecNodes.fieldNames(events.get(i).path("parameters"));
            filled.stream().filter(name -> !declared.contains(name)).forEach(name -> out.semantic(
                    SpecPaths.field(at, name), null, "is not a declared parameter (" + declaredText(declared) + ")"));
            requiredWithoutDefault.stream().filter(name -> !filled.contains(name)).forEach(name -> out.semantic(
                    at, null, "does not set required parameter " + name));
        }
        List<JsonNode> after = SpecNodes.items(triggers.path("after"));
        for (int i = 0; i < after.size(); i++) {
            String at = SpecPaths.field(SpecPaths.item("triggers.after", i), "parameters");
            List<String> filled = SpecNodes.fieldNames(after.get(i).path("parameters"));
            filled.stream().filter(name -> !declared.contains(name)).forEach(name -> out.semantic(
                    SpecPaths.field(at, name), null, "is not a declared parameter (" + declaredText(declared) + ")"));
            if (after.get(i).has("parameters")) {
                // Without parameters, each declared one is taken from the upstream run's of the same name, if it has it.
                requiredWithoutDefault.stream().filter(name -> !filled.contains(name)).forEach(name -> out.semantic(
                        at, null, "does not set required parameter " + name));
            }
        }
        List<JsonNode> schedules = SpecNodes.items(triggers.path("schedules"));
        for (int i = 0; i < schedules.size(); i++) {
            String at = SpecPaths.item("triggers.schedules", i);
            requiredWithoutDefault.forEach(name -> out.semantic(
                    at, null, "cannot start the job: a schedule gives no parameters and " + name + " is required without a default"));
        }
    }

    private static String declaredText(List<String> declared) {
        return declared.isEmpty() ? "none are declared under parameters" : "declared: " + String.join(", ", declared);
    }
}
