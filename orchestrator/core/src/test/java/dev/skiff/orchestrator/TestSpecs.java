package dev.skiff.orchestrator;

import dev.skiff.jobs.JobSpec;
import dev.skiff.jobs.JobSpecs;

/** Job specs for tests, written as users write them and parsed by the real library. */
public final class TestSpecs {

    private TestSpecs() {
    }

    /**
     * A job named {@code name} running {@code sh -c script}, plus any extra YAML lines (top-level keys).
     */
    public static JobSpec shell(String name, String script, String... extraYaml) {
        String yaml = """
                name: %s
                owner: test-team
                image: example/test:1
                command: ["sh", "-c", %s]
                """.formatted(name, quote(script)) + String.join("\n", extraYaml);
        return JobSpecs.parse(name + ".yaml", yaml);
    }

    private static String quote(String script) {
        return "\"" + script.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
