package dev.skiff.orchestrator.adapter.ecs;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.model.Task;

/** The estimate each attempt records, from the stopped task's own document, at fixed prices. */
class TaskCostsTest {

    private static final Instant PULL = Instant.parse("2026-11-26T10:00:00Z");
    /** Round figures: 1 vCPU and 2 GB cost 0.04 + 2 × 0.004 = 0.048 USD an hour on-demand, 30% of it on Spot. */
    private static final FargatePrices PRICES = new FargatePrices(0.04, 0.004, 0.7);

    private static Task stopped(String capacityProvider, Duration ran) {
        return Task.builder().capacityProviderName(capacityProvider).cpu("1024").memory("2048")
                .pullStartedAt(PULL).startedAt(PULL.plusSeconds(20)).stoppedAt(PULL.plus(ran)).build();
    }

    @Test
    void shouldChargeOnDemandListPriceFromImagePullToStopWhenTaskRanOnFargate() {
        // Given / When
        var cost = TaskCosts.of(stopped("FARGATE", Duration.ofHours(1)), 256, 512, PRICES);

        // Then: the task's own cpu and memory count, from the pull (not from startedAt)
        assertThat(cost).contains(new BigDecimal("0.048000"));
    }

    @Test
    void shouldTakeTheSpotDiscountOffWhenTaskRanOnFargateSpot() {
        // Given / When
        var cost = TaskCosts.of(stopped("FARGATE_SPOT", Duration.ofHours(1)), 256, 512, PRICES);

        // Then
        assertThat(cost).contains(new BigDecimal("0.014400"));
    }

    @Test
    void shouldBillOneMinuteAtLeastAndWholeSecondsWhenTaskWasShort() {
        // Given / When
        var tenSeconds = TaskCosts.of(stopped("FARGATE", Duration.ofSeconds(10)), 256, 512, PRICES);
        var justOverTwoMinutes = TaskCosts.of(stopped("FARGATE", Duration.ofMillis(120_001)), 256, 512, PRICES);

        // Then: 60 s and 121 s of 0.048 USD an hour
        assertThat(tenSeconds).contains(new BigDecimal("0.000800"));
        assertThat(justOverTwoMinutes).contains(new BigDecimal("0.001613"));
    }

    @Test
    void shouldPriceWithTheSpecsResourcesWhenTaskDocumentHasNone() {
        // Given
        Task task = stopped("FARGATE", Duration.ofHours(1)).toBuilder().cpu(null).memory(null).build();

        // When
        var cost = TaskCosts.of(task, 2048, 4096, PRICES);

        // Then
        assertThat(cost).contains(new BigDecimal("0.096000"));
    }

    @Test
    void shouldCostNothingWhenTaskNeverBeganToPullItsImage() {
        // Given
        Task task = Task.builder().capacityProviderName("FARGATE").cpu("1024").memory("2048").stoppedAt(PULL).build();

        // When / Then
        assertThat(TaskCosts.of(task, 1024, 2048, PRICES)).contains(new BigDecimal("0.000000"));
    }

    @Test
    void shouldKnowNoCostWhenTaskHasNotStopped() {
        // Given
        Task task = Task.builder().capacityProviderName("FARGATE").cpu("1024").memory("2048").pullStartedAt(PULL).build();

        // When / Then
        assertThat(TaskCosts.of(task, 1024, 2048, PRICES)).isEmpty();
    }
}
