package dev.skiff.orchestrator.port;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.jobs.Capacity;
import dev.skiff.jobs.JobSpec;
import dev.skiff.orchestrator.TestSpecs;
import dev.skiff.workflows.Attempt;
import dev.skiff.workflows.PipelineProgress.UnitStatus;
import dev.skiff.workflows.StepOutcome;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** How a pipeline run's recorded units read as steps, the same for both engines. */
class PipelineRunTest {

    private static final Instant T0 = Instant.parse("2026-12-05T23:00:00Z");
    private static final JobSpec ETL = TestSpecs.shell("etl", "true", """
            steps:
              - name: extract
              - name: transform
                dependsOn: [extract]
                forEach: {items: $.steps.extract.output.parts, maxConcurrency: 4}
              - name: load
                dependsOn: [transform]""");

    @Test
    void shouldNameTheItemThatFailedOnItsOwnNotASiblingCancelledBecauseOfIt() {
        // Given item 1 failed with exit code 3, and item 2, stopped because of it, is dated as ending a moment before
        var run = new PipelineRun(ETL, Map.of("transform", 3), List.of(
                unit("extract", -1, UnitStatus.SUCCEEDED, Optional.empty(), T0.plusSeconds(1), "0.01"),
                unit("transform", 0, UnitStatus.SUCCEEDED, Optional.empty(), T0.plusSeconds(5), "0.02"),
                unit("transform", 2, UnitStatus.FAILED, Optional.of("Skiff.Cancelled"), T0.plusSeconds(6), "0.02"),
                unit("transform", 1, UnitStatus.FAILED, Optional.of("Skiff.ExitCode.3"), T0.plusSeconds(7), "0.03")));

        // Then the step failed with item 1's error; load never started; costs add up per step and for the run
        var steps = run.steps();
        assertThat(steps).extracting(PipelineRun.StepRun::status).containsExactly("SUCCEEDED", "FAILED", "WAITING");
        assertThat(steps.get(1).error()).contains("Skiff.ExitCode.3");
        assertThat(steps.get(1).items()).contains(new PipelineRun.ItemCounts(3, 1, 2, 0));
        assertThat(steps.get(1).costUsd()).contains(new BigDecimal("0.07"));
        assertThat(steps.get(0).attempts()).hasSize(1);
        assertThat(steps.get(1).attempts()).as("a forEach step's attempts are its items'").isEmpty();
        assertThat(run.costUsd()).contains(new BigDecimal("0.08"));
        assertThat(run.unitsOf("transform")).extracting(PipelineRun.UnitRun::item).containsExactly(0, 1, 2);
    }

    private static PipelineRun.UnitRun unit(String step, int item, UnitStatus status, Optional<String> error, Instant ended,
                                            String cost) {
        StepOutcome outcome = status == UnitStatus.SUCCEEDED ? new StepOutcome.Succeeded() : new StepOutcome.Exited(3);
        Attempt attempt = new Attempt(1, Capacity.SPOT_FIRST, "task-" + step + item, "spot", "", T0, T0.plusSeconds(3600),
                Optional.empty(), Optional.of(outcome), Optional.of(ended), Optional.of(new BigDecimal(cost)));
        return new PipelineRun.UnitRun(step, item, Optional.empty(), status, List.of(attempt), error, error.map(e -> "because"));
    }
}
