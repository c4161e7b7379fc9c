package dev.skiff.jobs;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A minimal valid spec to add one field to, so each test shows only what it is about. */
final class SpecFixtures {

    static final String SOURCE = "jobs/examples/demo.yaml";

    static final String MINIMAL = """
            name: demo
            owner: team-a
            image: 123456789012.dkr.ecr.eu-west-1.amazonaws.com/demo:1.0
            command: ["sh", "-c", "echo hi"]
            """;

    private SpecFixtures() {
    }

    static List<String> violationsOf(String yaml) {
        return JobSpecs.check(SOURCE, yaml).violations().stream().map(Violation::toString).toList();
    }

    static List<String> violationsOfMinimalWith(String extraYaml) {
        return violationsOf(MINIMAL + extraYaml);
    }

    static JobSpec parseMinimalWith(String extraYaml) {
        return JobSpecs.parse(SOURCE, MINIMAL + extraYaml);
    }

    /** A minimal job named {@code name} whose event triggers have these patterns (as written, no parameters). */
    static JobSpec jobWithEventPatterns(String name, String... patterns) {
        JobSpec base = parseMinimalWith("");
        List<EventTrigger> events = new ArrayList<>();
        for (String pattern : patterns) {
            events.add(new EventTrigger(pattern, Map.of()));
        }
        return new JobSpec(name, base.description(), base.owner(), base.image(), base.command(), base.args(), base.environment(),
                base.secrets(), base.resources(), base.capacity(), base.timeout(), base.retries(), base.parameters(), base.tags(),
                new Triggers(List.of(), events, List.of()), base.steps(), base.notifications());
    }
}
