package dev.skiff.workflows;

import static dev.skiff.workflows.PipelineProgress.NO_ITEM;
import static dev.skiff.workflows.PipelineProgress.UnitStatus.FAILED;
import static dev.skiff.workflows.PipelineProgress.UnitStatus.RUNNING;
import static dev.skiff.workflows.PipelineProgress.UnitStatus.SUCCEEDED;
import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.jobs.JobSpec;
import dev.skiff.jobs.JobSpecs;
import dev.skiff.workflows.PipelineProgress.End;
import dev.skiff.workflows.PipelineProgress.StepState;
import dev.skiff.workflows.PipelineProgress.Unit;
import dev.skiff.workflows.PipelineProgress.UnitStatus;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The meaning of a pipeline run, step by step: what starts when, and how the run ends. */
class PipelineProgressTest {

    private static final String HEAD = """
            name: etl
            owner: team-a
            image: etl:1
            command: [run]
            parameters:
              PARTS: {default: '[1,2,3]'}
            """;

    private static PipelineProgress progress(String steps) {
        JobSpec job = JobSpecs.parse("etl.yaml", HEAD + steps);
        return new PipelineProgress(job);
    }

    private static final PipelineProgress ETL = progress("""
            steps:
              - {name: extract}
              - name: transform
                dependsOn: [extract]
                forEach: {items: $.parameters.PARTS, maxConcurrency: 2}
              - {name: load, dependsOn: [transform]}
            """);

    private final Map<String, StepState> states = new HashMap<>();

    private void step(String name, UnitStatus status) {
        states.put(name, new StepState(Optional.empty(), Map.of(NO_ITEM, status)));
    }

    private void items(String name, int count, Map<Integer, UnitStatus> units) {
        states.put(name, new StepState(Optional.of(count), units));
    }

    @Test
    void shouldStartOnlyTheStepsWithoutDependenciesFirst() {
        var next = ETL.next(states);

        assertThat(next.start()).containsExactly(new Unit("extract", NO_ITEM));
        assertThat(next.resolveItems()).isEmpty();
        assertThat(next.outcome()).isEmpty();
    }

    @Test
    void shouldAskForTheItemsOnceTheDependenciesSucceededAndNotBefore() {
        step("extract", RUNNING);
        assertThat(ETL.next(states).resolveItems()).isEmpty();
        assertThat(ETL.next(states).start()).isEmpty();

        step("extract", SUCCEEDED);
        assertThat(ETL.next(states).resolveItems()).containsExactly("transform");
    }

    @Test
    void shouldStartItemsInOrderAtMostMaxConcurrencyAtOnce() {
        step("extract", SUCCEEDED);
        items("transform", 3, Map.of());
        assertThat(ETL.next(states).start()).containsExactly(new Unit("transform", 0), new Unit("transform", 1));

        items("transform", 3, Map.of(0, SUCCEEDED, 1, RUNNING));
        assertThat(ETL.next(states).start()).containsExactly(new Unit("transform", 2));

        items("transform", 3, Map.of(0, RUNNING, 1, RUNNING));
        assertThat(ETL.next(states).start()).isEmpty();
    }

    @Test
    void shouldStartTheNextStepOnlyWhenEveryItemSucceeded() {
        step("extract", SUCCEEDED);
        items("transform", 3, Map.of(0, SUCCEEDED, 1, SUCCEEDED, 2, RUNNING));
        assertThat(ETL.next(states).start()).isEmpty();

        items("transform", 3, Map.of(0, SUCCEEDED, 1, SUCCEEDED, 2, SUCCEEDED));
        assertThat(ETL.next(states).start()).containsExactly(new Unit("load", NO_ITEM));
    }

    @Test
    void shouldSucceedOnceEveryStepSucceeded() {
        step("extract", SUCCEEDED);
        items("transform", 0, Map.of()); // an empty fan-out succeeds, as a Map over [] does
        step("load", SUCCEEDED);

        assertThat(ETL.next(states).outcome()).contains(new End(true, Optional.empty()));
    }

    @Test
    void shouldFailAtTheFirstFailedItemAndStopTheOthersWhenNothingIsTolerated() {
        step("extract", SUCCEEDED);
        items("transform", 3, Map.of(0, FAILED, 1, RUNNING));

        var next = ETL.next(states);

        // Then item 2 never starts, item 1 is stopped, load never starts
        assertThat(next.outcome()).contains(new End(false, Optional.of("transform")));
        assertThat(next.stop()).containsExactly(new Unit("transform", 1));
        assertThat(next.start()).isEmpty();
    }

    @Test
    void shouldFailAtTheFirstFailedItemWhenZeroPercentIsTolerated() {
        // Given a share of 0%, which tolerates nothing, as the compiled Map (no Catch) and jobs/README.md say
        var zeroShare = progress("""
                steps:
                  - name: each
                    forEach: {items: $.parameters.PARTS, maxConcurrency: 1, toleratedFailures: "0%"}
                """);
        items("each", 3, Map.of(0, FAILED));

        var next = zeroShare.next(states);

        // Then the step fails at once, and the items not yet started never start
        assertThat(next.outcome()).contains(new End(false, Optional.of("each")));
        assertThat(next.start()).isEmpty();
    }

    @Test
    void shouldRunEveryItemAndThenCountWhenFailuresAreTolerated() {
        var tolerant = progress("""
                steps:
                  - name: each
                    forEach: {items: $.parameters.PARTS, toleratedFailures: 1}
                  - {name: after, dependsOn: [each]}
                """);
        items("each", 3, Map.of(0, FAILED, 1, RUNNING, 2, RUNNING));
        assertThat(tolerant.next(states).outcome()).isEmpty();

        items("each", 3, Map.of(0, FAILED, 1, SUCCEEDED, 2, SUCCEEDED));
        assertThat(tolerant.next(states).start()).containsExactly(new Unit("after", NO_ITEM));

        items("each", 3, Map.of(0, FAILED, 1, FAILED, 2, SUCCEEDED));
        assertThat(tolerant.next(states).outcome()).contains(new End(false, Optional.of("each")));
    }

    @Test
    void shouldStopEveryRunningUnitWhenAStepFails() {
        var diamond = progress("""
                steps:
                  - {name: a}
                  - {name: b, dependsOn: [a]}
                  - {name: c, dependsOn: [a]}
                  - {name: d, dependsOn: [b, c]}
                """);
        step("a", SUCCEEDED);
        step("b", FAILED);
        step("c", RUNNING);

        var next = diamond.next(states);

        assertThat(next.outcome()).contains(new End(false, Optional.of("b")));
        assertThat(next.stop()).containsExactly(new Unit("c", NO_ITEM));
        assertThat(next.start()).isEmpty();
    }

    @Test
    void shouldStartIndependentBranchesTogether() {
        var diamond = progress("""
                steps:
                  - {name: a}
                  - {name: b, dependsOn: [a]}
                  - {name: c, dependsOn: [a]}
                  - {name: d, dependsOn: [b, c]}
                """);
        step("a", SUCCEEDED);
        assertThat(diamond.next(states).start()).containsExactly(new Unit("b", NO_ITEM), new Unit("c", NO_ITEM));

        step("b", SUCCEEDED);
        step("c", RUNNING);
        assertThat(diamond.next(states).start()).isEmpty();
    }

    @Test
    void shouldFailTheRunWhenAForEachsItemsCouldNotBeResolved() {
        step("extract", SUCCEEDED);
        states.put("transform", new StepState(Optional.empty(), Map.of(NO_ITEM, FAILED)));

        assertThat(ETL.next(states).outcome()).contains(new End(false, Optional.of("transform")));
    }

    @Test
    void shouldRunAJobWithoutStepsAsItsSingleStepMain() {
        var single = new PipelineProgress(JobSpecs.parse("etl.yaml", HEAD));
        assertThat(single.next(states).start()).isEqualTo(List.of(new Unit("main", NO_ITEM)));
    }
}
