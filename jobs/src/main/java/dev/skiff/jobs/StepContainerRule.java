package dev.skiff.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * A step's container is checked by the same rules as a job's: each step is checked as the job it becomes (the job's
 * fields, with the step's own in their place), and a violation is reported at the step when the field it names is
 * the step's own; one in a field the step takes from the job is the job's, reported there once.
 */
final class StepContainerRule implements SpecRule {

    /** The fields a step may give for itself; every other field stays the job's. */
    static final List<String> STEP_FIELDS = List.of("image", "command", "args", "environment", "secrets", "resources",
            "capacity", "timeout", "retries");

    private static final List<SpecRule> CONTAINER_RULES = List.of(
            new ResourceRule(),
            new DurationRule(),
            new RetryRule(),
            new VariableNameRule(),
            new SecretArnRule(),
            new LaunchableTextRule());

    @Override
    public void check(JsonNode root, Violations out) {
        if (!root.isObject()) {
            return;
        }
        List<JsonNode> steps = SpecNodes.items(root.path("steps"));
        for (int i = 0; i < steps.size(); i++) {
            JsonNode step = steps.get(i);
            if (!step.isObject()) {
                continue;
            }
            var asJob = new Violations(out.source());
            CONTAINER_RULES.forEach(rule -> rule.check(asStepJob(root, step), asJob));
            String at = SpecPaths.item("steps", i);
            for (Violation violation : asJob.list()) {
                if (step.has(topField(violation.path()))) {
                    out.semantic(new Violation(violation.source(), SpecPaths.field(at, violation.path()),
                            violation.value(), violation.rule()));
                }
            }
        }
    }

    /** The job a step becomes: the job's fields, the step's own in their place. */
    static ObjectNode asStepJob(JsonNode root, JsonNode step) {
        ObjectNode job = ((ObjectNode) root).deepCopy();
        job.remove("steps");
        for (String field : STEP_FIELDS) {
            if (step.has(field)) {
                job.set(field, step.get(field));
            }
        }
        return job;
    }

    private static String topField(String path) {
        int end = path.length();
        for (int i = 0; i < path.length(); i++) {
            if (path.charAt(i) == '.' || path.charAt(i) == '[') {
                end = i;
                break;
            }
        }
        return path.substring(0, end);
    }
}
