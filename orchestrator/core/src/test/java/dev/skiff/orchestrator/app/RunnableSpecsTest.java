package dev.skiff.orchestrator.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.jobs.Violation;
import org.junit.jupiter.api.Test;

class RunnableSpecsTest {

    private static final String JOB = """
            name: etl
            owner: team-a
            image: etl:1
            command: [run]
            """;

    @Test
    void shouldRefuseAValidPipelineWithTheReasonWhileTheEnginesRunOneStep() {
        // Given a valid spec with two steps / When checked for this orchestrator
        var result = RunnableSpecs.check("etl.yaml", JOB + "steps:\n  - {name: a}\n  - {name: b, dependsOn: [a]}\n");

        // Then it is refused at steps, saying why
        assertThat(result.valid()).isFalse();
        assertThat(result.violations()).singleElement().satisfies(v -> {
            assertThat(v.path()).isEqualTo("steps");
            assertThat(v.toString()).startsWith("etl.yaml: steps: are valid, but this deployment does not run"
                    + " multi-step jobs");
        });
    }

    @Test
    void shouldAcceptAValidPipelineWhereTheEngineRunsThem() {
        // Given a valid spec with two steps / When checked for an orchestrator whose engine runs pipelines (embedded)
        var result = RunnableSpecs.check("etl.yaml", JOB + "steps:\n  - {name: a}\n  - {name: b, dependsOn: [a]}\n", true);

        // Then it is accepted as it is
        assertThat(result.valid()).isTrue();
        assertThat(result.spec().orElseThrow().steps()).hasSize(2);
    }

    @Test
    void shouldAcceptAJobOfOneStepAndReportAnInvalidPipelinesOwnProblems() {
        assertThat(RunnableSpecs.check("etl.yaml", JOB).valid()).isTrue();
        assertThat(RunnableSpecs.check("etl.yaml", JOB + "steps:\n  - {name: a, dependsOn: [b]}\n").violations())
                .map(Violation::path).containsExactly("steps[0].dependsOn[0]");
    }

    @Test
    void shouldAcceptAValidPipelineWhereTheRuntimeRunsPipelines() {
        // Given a valid spec with two steps / When checked for a runtime that runs pipelines (AWS mode, S3 registry)
        var result = RunnableSpecs.check("etl.yaml", JOB + "steps:\n  - {name: a}\n  - {name: b, dependsOn: [a]}\n", true);

        // Then it is accepted; and refused still where the runtime does not run them
        assertThat(result.valid()).isTrue();
        assertThat(result.spec()).hasValueSatisfying(spec -> assertThat(spec.steps()).hasSize(2));
        assertThat(RunnableSpecs.check("etl.yaml", JOB + "steps:\n  - {name: a}\n", false).valid()).isFalse();
    }
}
