package dev.skiff.orchestrator.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.jobs.Capacity;
import dev.skiff.workflows.Attempt;
import dev.skiff.workflows.Run;
import dev.skiff.workflows.RunStatus;
import dev.skiff.workflows.StepOutcome;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What GET /runs/{id} shows of where each launch ran and what it cost. */
class RunViewTest {

    private static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");

    private static Attempt ended(String ranOn, String taskArn, StepOutcome outcome, Optional<BigDecimal> cost) {
        return new Attempt(1, Capacity.SPOT_FIRST, taskArn, ranOn, "", T0, T0.plusSeconds(600), Optional.empty(),
                Optional.of(outcome), Optional.of(T0.plusSeconds(60)), cost);
    }

    private static Run runWith(List<Attempt> attempts) {
        return new Run("etl-m-01", "etl", "api", Map.of(), RunStatus.SUCCEEDED, T0, Optional.of(T0.plusSeconds(120)),
                attempts, Optional.empty(), Optional.empty(), Optional.empty());
    }

    @Test
    void shouldShowEachLaunchsCapacityTaskAndCostAndTheirSumWhenTheLauncherPricedThem() {
        // Given a Spot launch that was interrupted, then its on-demand relaunch
        Run run = runWith(List.of(
                ended("spot", "arn:aws:ecs:us-east-1:123456789012:task/skiff/a", new StepOutcome.SpotInterrupted("x"),
                        Optional.of(new BigDecimal("0.000240"))),
                ended("on-demand", "arn:aws:ecs:us-east-1:123456789012:task/skiff/b", new StepOutcome.Succeeded(),
                        Optional.of(new BigDecimal("0.000800")))));

        // When
        RunView view = RunView.of(run);

        // Then
        assertThat(view.attempts()).extracting(RunView.AttemptView::ranOn, RunView.AttemptView::taskId,
                RunView.AttemptView::costUsd).containsExactly(
                org.assertj.core.groups.Tuple.tuple("spot", "arn:aws:ecs:us-east-1:123456789012:task/skiff/a",
                        new BigDecimal("0.000240")),
                org.assertj.core.groups.Tuple.tuple("on-demand", "arn:aws:ecs:us-east-1:123456789012:task/skiff/b",
                        new BigDecimal("0.000800")));
        assertThat(view.costUsd()).isEqualTo(new BigDecimal("0.001040"));
    }

    @Test
    void shouldShowNoCostWhenNoAttemptHasOne() {
        // Given a local process attempt
        Run run = runWith(List.of(ended("local", "4242", new StepOutcome.Succeeded(), Optional.empty())));

        // When
        RunView view = RunView.of(run);

        // Then
        assertThat(view.costUsd()).isNull();
        assertThat(view.attempts()).singleElement().satisfies(a -> assertThat(a.costUsd()).isNull());
    }
}
