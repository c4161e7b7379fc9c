package dev.skiff.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** Runs every semantic rule over a document; each rule reports on its own fields. */
final class SemanticCheck {

    private static final List<SpecRule> RULES = List.of(
            new ResourceRule(),
            new DurationRule(),
            new RetryRule(),
            new VariableNameRule(),
            new SecretArnRule(),
            new ParameterRule(),
            new TagRule(),
            new ScheduleRule(),
            new AfterTriggerRule(),
            new NotifyRule(),
            new EventPathRule(),
            new LaunchableTextRule(),
            new StepGraphRule(),
            new StepContainerRule(),
            new StepInputRule());

    private SemanticCheck() {
    }

    /** @param patterns where the event patterns' canonical texts go, for the mapper to take */
    static void check(JsonNode root, CanonicalPatterns patterns, Violations out) {
        for (SpecRule rule : RULES) {
            rule.check(root, out);
        }
        EventTriggerRule.check(root, patterns, out);
    }
}
