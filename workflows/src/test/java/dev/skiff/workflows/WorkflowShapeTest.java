package dev.skiff.workflows;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.jobs.JobSpecs;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** How a step graph becomes series and parallel parts, and when it has to fall back to levels. */
class WorkflowShapeTest {

    @ParameterizedTest
    @CsvSource({
            "default-retries, SERIES_PARALLEL",
            "pipelines/chain, SERIES_PARALLEL",
            "pipelines/diamond, SERIES_PARALLEL",
            "pipelines/fan-out-in-parallel, SERIES_PARALLEL",
            "pipelines/etl, SERIES_PARALLEL",
            "pipelines/not-series-parallel, LEVELS"})
    void shouldReportTheShapeWhenACaseIsCompiled(String name, GraphShape expected) throws Exception {
        // Given
        String yaml;
        try (var in = WorkflowShapeTest.class.getResourceAsStream("/cases/" + name + ".yaml")) {
            yaml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }

        // When / Then
        assertThat(WorkflowCompiler.shape(JobSpecs.parse("case.yaml", yaml))).isEqualTo(expected);
    }

    @Test
    void shouldDropImpliedDependenciesWhenReduced() {
        // Given: d's dependency on a is implied by b and c
        var workflow = new Workflow("w", List.of(TestSteps.step("a"), TestSteps.step("b", "a"),
                TestSteps.step("c", "a"), TestSteps.step("d", "a", "b", "c")));

        // When / Then
        assertThat(workflow.reducedDependencies()).isEqualTo(Map.of(
                "a", List.of(), "b", List.of("a"), "c", List.of("a"), "d", List.of("b", "c")));
    }

    @Test
    void shouldNestSeriesInParallelWhenBranchesAreChains() {
        // Given: two chains a->b and c->d joined by e, beside an independent f
        var workflow = new Workflow("w", List.of(TestSteps.step("a"), TestSteps.step("b", "a"),
                TestSteps.step("c"), TestSteps.step("d", "c"), TestSteps.step("e", "b", "d"), TestSteps.step("f")));

        // When
        StepPlan plan = StepPlan.of(workflow);

        // Then
        assertThat(plan.toString()).isEqualTo("parallel(series(parallel(series(a, b), series(c, d)), e), f)");
        assertThat(plan.shape()).isEqualTo(GraphShape.SERIES_PARALLEL);
    }

    @Test
    void shouldCompileInLevelsOnlyThePartThatIsNotSeriesParallel() {
        // Given: the N graph a->c, a->d, b->d, then z after everything
        var workflow = new Workflow("w", List.of(TestSteps.step("a"), TestSteps.step("b"), TestSteps.step("c", "a"),
                TestSteps.step("d", "a", "b"), TestSteps.step("z", "c", "d")));

        // When
        StepPlan plan = StepPlan.of(workflow);

        // Then: c waits for b too (level 1 is a Parallel), z stays after both
        assertThat(plan.toString()).isEqualTo("series(levels(parallel(a, b), parallel(c, d)), z)");
        assertThat(plan.shape()).isEqualTo(GraphShape.LEVELS);
    }

    @Test
    void shouldNeverStartAStepBeforeItsDependenciesWhenLevelled() {
        // Given: a graph that is not series-parallel, with a long and a short path to f
        var workflow = new Workflow("w", List.of(TestSteps.step("a"), TestSteps.step("b"), TestSteps.step("c", "a"),
                TestSteps.step("d", "a", "b"), TestSteps.step("e", "c"), TestSteps.step("f", "e", "b")));

        // When
        String plan = StepPlan.of(workflow).toString();

        // Then: every step's level is its longest path from a root
        assertThat(plan).isEqualTo("levels(parallel(a, b), parallel(c, d), e, f)");
    }
}
