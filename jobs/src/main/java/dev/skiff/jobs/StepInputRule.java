package dev.skiff.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What a step reads must exist when it starts: a step parameter or a forEach names a declared run parameter, the
 * output of a step upstream of it (one it waits for, directly or through others), or its own item inside a forEach.
 * A step parameter becomes an environment variable, so its name follows the variable rules.
 */
final class StepInputRule implements SpecRule {

    private static final Pattern S3_PREFIX = Pattern.compile("s3://[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](/.*)?");

    @Override
    public void check(JsonNode root, Violations out) {
        List<JsonNode> steps = SpecNodes.items(root.path("steps"));
        if (steps.stream().anyMatch(step -> !step.isObject())) {
            return;
        }
        Map<String, List<String>> dependsOn = new LinkedHashMap<>();
        steps.forEach(step -> dependsOn.putIfAbsent(step.path("name").asText(),
                SpecNodes.items(step.path("dependsOn")).stream().map(JsonNode::asText).toList()));
        Set<String> declared = new HashSet<>(SpecNodes.fieldNames(root.path("parameters")));
        Set<String> fannedOut = new HashSet<>();
        steps.stream().filter(step -> step.has("forEach")).forEach(step -> fannedOut.add(step.path("name").asText()));
        for (int i = 0; i < steps.size(); i++) {
            JsonNode step = steps.get(i);
            String at = SpecPaths.item("steps", i);
            var scope = new Scope(step.path("name").asText(), upstream(step.path("name").asText(), dependsOn), declared,
                    fannedOut, step.has("forEach"));
            for (var parameter : SpecNodes.fields(step.path("parameters"))) {
                String path = SpecPaths.field(SpecPaths.field(at, "parameters"), parameter.getKey());
                name(path, parameter.getKey(), root, step, out);
                value(path, parameter.getValue(), scope, out);
            }
            JsonNode forEach = step.path("forEach");
            if (forEach.isObject()) {
                forEach(SpecPaths.field(at, "forEach"), forEach, scope, out);
            }
        }
    }

    /** What a step may read. */
    private record Scope(String step, Set<String> upstream, Set<String> parameters, Set<String> fannedOut,
                         boolean hasItem) {
    }

    private static void name(String path, String name, JsonNode root, JsonNode step, Violations out) {
        if (name.startsWith(VariableNameRule.RESERVED_PREFIX)) {
            out.semanticKey(path, name, "must not start with " + VariableNameRule.RESERVED_PREFIX
                    + " (reserved for variables Skiff sets)");
            return;
        }
        for (String other : List.of("environment", "secrets")) {
            if (JobSpecMapper.inherited(step, root, other).has(name)) {
                out.semanticKey(path, name, "is also set by the step's " + other + " (each variable name may come from one place)");
            }
        }
        if (root.path("parameters").has(name)) {
            out.semanticKey(path, name, "is also a run parameter of the job, which every step receives"
                    + " (each variable name may come from one place)");
        }
    }

    private static void value(String path, JsonNode value, Scope scope, Violations out) {
        if (!value.isTextual()) {
            return;
        }
        if (!ValueRef.looksLikeRef(value.textValue())) {
            LaunchableText.problem(value.textValue()).ifPresent(what -> out.semantic(path, value,
                    "must not contain " + what + ": an environment variable cannot carry it"));
            return;
        }
        reference(path, value, scope, true, out);
    }

    private static Optional<ValueRef> reference(String path, JsonNode value, Scope scope, boolean itemAllowed, Violations out) {
        Optional<ValueRef> ref = ValueRef.parse(value.textValue());
        if (ref.isEmpty()) {
            out.semantic(path, value, "is not a reference Skiff knows (" + ValueRef.SYNTAX + ")");
            return ref;
        }
        switch (ref.get().source()) {
            case PARAMETER -> {
                if (!scope.parameters().contains(ref.get().name())) {
                    out.semantic(path, value, "names run parameter " + ref.get().name()
                            + ", which the job does not declare under parameters");
                }
            }
            case STEP_OUTPUT -> {
                if (!scope.upstream().contains(ref.get().name())) {
                    out.semantic(path, value, "reads the output of step " + ref.get().name()
                            + ", which is not upstream of step " + scope.step()
                            + " (list it, or a step after it, in dependsOn)");
                } else if (scope.fannedOut().contains(ref.get().name())) {
                    out.semantic(path, value, "reads the output of step " + ref.get().name()
                            + ", which runs once per item: each item's output is its own, and no single one is the step's");
                }
            }
            case ITEM -> {
                if (!itemAllowed) {
                    out.semantic(path, value, "cannot be the items themselves (items come from a run parameter or a step's output)");
                } else if (!scope.hasItem()) {
                    out.semantic(path, value, "reads the item, but step " + scope.step() + " has no forEach");
                }
            }
        }
        return ref;
    }

    private static void forEach(String at, JsonNode forEach, Scope scope, Violations out) {
        JsonNode items = forEach.path("items");
        JsonNode list = forEach.path("list");
        if (items.isMissingNode() == list.isMissingNode()) {
            out.semantic(at, null, "must take its items from exactly one of items (a run parameter or a step's output)"
                    + " and list (an S3 prefix or a local directory)");
        }
        if (items.isTextual()) {
            reference(SpecPaths.field(at, "items"), items, scope, false, out);
        }
        if (list.isTextual() && list.textValue().startsWith("s3:") && !S3_PREFIX.matcher(list.textValue()).matches()) {
            out.semantic(SpecPaths.field(at, "list"), list, "is not an S3 prefix (s3://bucket/prefix/)");
        }
        tolerated(SpecPaths.field(at, "toleratedFailures"), forEach.path("toleratedFailures"), out);
    }

    private static void tolerated(String path, JsonNode value, Violations out) {
        if (value.isMissingNode()) {
            return;
        }
        if (ToleratedFailures.parse(value).isEmpty()) {
            out.semantic(path, value, "must be a count of items (0 or more) or a share of them (0% to 100%)");
        }
    }

    /** Every step the named one waits for, directly or through others. */
    private static Set<String> upstream(String step, Map<String, List<String>> dependsOn) {
        Set<String> seen = new HashSet<>();
        var pending = new ArrayDeque<>(dependsOn.getOrDefault(step, List.of()));
        while (!pending.isEmpty()) {
            String next = pending.pop();
            if (seen.add(next)) {
                pending.addAll(dependsOn.getOrDefault(next, List.of()));
            }
        }
        seen.remove(step);
        return seen;
    }
}
