package dev.skiff.jobs;

import java.util.List;

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
}
