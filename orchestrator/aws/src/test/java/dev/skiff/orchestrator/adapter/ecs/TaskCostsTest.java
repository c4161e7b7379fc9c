package dev.skiff.orchestrator.adapter.ecs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.jobs.Architecture;
import dev.skiff.jobs.Resources;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.model.Task;

/** The estimate each attempt records, from the stopped task's own document, at fixed prices. */
class TaskCostsTest {

    private static final Instant PULL = Instant.parse("2026-11-26T10:00:00Z");
    /**
     * Round figures: 1 vCPU and 2 GB cost 0.04 + 2 × 0.004 = 0.048 USD an hour on-demand, 30% of it on Spot; ARM64
     * 20% less; a GB of storage above the free 20 costs 0.0001 an hour.
     */
    private static final RegionPrices PRICES = new RegionPrices("test-1", Map.of(
            Architecture.X86_64, prices("0.04", "0.004", "0.012", "0.0012", "0.0001"),
            Architecture.ARM64, prices("0.032", "0.0032", "0.0096", "0.00096", "0.0001")));

    private static FargatePrices prices(String vcpu, String gb, String spotVcpu, String spotGb, String storage) {
        return new FargatePrices(new BigDecimal(vcpu), new BigDecimal(gb), new BigDecimal(spotVcpu), new BigDecimal(spotGb),
                new BigDecimal(storage));
    }

    private static Resources size(int cpu, int memory) {
        return new Resources(cpu, memory, FargatePrices.FREE_STORAGE_GIB, Architecture.X86_64); // no storage billed
    }

    private static Task stopped(String capacityProvider, Duration ran) {
        return Task.builder().capacityProviderName(capacityProvider).cpu("1024").memory("2048")
                .pullStartedAt(PULL).startedAt(PULL.plusSeconds(20)).stoppedAt(PULL.plus(ran)).build();
    }

    @Test
    void shouldChargeOnDemandListPriceFromImagePullToStopWhenTaskRanOnFargate() {
        // Given / When
        var cost = TaskCosts.of(stopped("FARGATE", Duration.ofHours(1)), size(256, 512), PRICES);

        // Then: the task's own cpu and memory count, from the pull (not from startedAt)
        assertThat(cost).contains(new BigDecimal("0.048000"));
    }

    @Test
    void shouldTakeTheSpotDiscountOffWhenTaskRanOnFargateSpot() {
        // Given / When
        var cost = TaskCosts.of(stopped("FARGATE_SPOT", Duration.ofHours(1)), size(256, 512), PRICES);

        // Then
        assertThat(cost).contains(new BigDecimal("0.014400"));
    }

    @Test
    void shouldBillOneMinuteAtLeastAndWholeSecondsWhenTaskWasShort() {
        // Given / When
        var tenSeconds = TaskCosts.of(stopped("FARGATE", Duration.ofSeconds(10)), size(256, 512), PRICES);
        var justOverTwoMinutes = TaskCosts.of(stopped("FARGATE", Duration.ofMillis(120_001)), size(256, 512), PRICES);

        // Then: 60 s and 121 s of 0.048 USD an hour
        assertThat(tenSeconds).contains(new BigDecimal("0.000800"));
        assertThat(justOverTwoMinutes).contains(new BigDecimal("0.001613"));
    }

    @Test
    void shouldPriceWithTheSpecsResourcesWhenTaskDocumentHasNone() {
        // Given
        Task task = stopped("FARGATE", Duration.ofHours(1)).toBuilder().cpu(null).memory(null).build();

        // When
        var cost = TaskCosts.of(task, size(2048, 4096), PRICES);

        // Then
        assertThat(cost).contains(new BigDecimal("0.096000"));
    }

    @Test
    void shouldCostNothingWhenTaskNeverBeganToPullItsImage() {
        // Given
        Task task = Task.builder().capacityProviderName("FARGATE").cpu("1024").memory("2048").stoppedAt(PULL).build();

        // When / Then
        assertThat(TaskCosts.of(task, size(1024, 2048), PRICES)).contains(new BigDecimal("0.000000"));
    }

    @Test
    void shouldPriceArmTasksAtArmPricesWhenSpecSaysArm64() {
        // Given
        var arm = new Resources(1024, 2048, 21, Architecture.ARM64);

        // When
        var onDemand = TaskCosts.of(stopped("FARGATE", Duration.ofHours(1)), arm, PRICES);
        var spot = TaskCosts.of(stopped("FARGATE_SPOT", Duration.ofHours(1)), arm, PRICES);

        // Then: 0.032 + 2 × 0.0032, and 0.0096 + 2 × 0.00096; 1 GB of storage above the free 20 at 0.0001
        assertThat(onDemand).contains(new BigDecimal("0.038500"));
        assertThat(spot).contains(new BigDecimal("0.011620"));
    }

    @Test
    void shouldBillEphemeralStorageAboveFreeTwentyGib() {
        // Given: the task document says 120 GiB; the spec's 21 is not used then
        Task task = stopped("FARGATE", Duration.ofHours(2)).toBuilder().ephemeralStorage(e -> e.sizeInGiB(120)).build();

        // When
        var cost = TaskCosts.of(task, size(256, 512), PRICES);

        // Then: 2 h × (0.048 + 100 × 0.0001)
        assertThat(cost).contains(new BigDecimal("0.116000"));
    }

    @Test
    void shouldKnowNoCostWhenRegionHasNoPriceForArchitecture() {
        // Given
        var x86Only = new RegionPrices("test-1", Map.of(Architecture.X86_64, PRICES.of(Architecture.X86_64).orElseThrow()));

        // When / Then
        assertThat(TaskCosts.of(stopped("FARGATE", Duration.ofHours(1)), new Resources(1024, 2048, 21, Architecture.ARM64),
                x86Only)).isEmpty();
    }

    @Test
    void shouldKnowNoCostWhenTaskHasNotStopped() {
        // Given
        Task task = Task.builder().capacityProviderName("FARGATE").cpu("1024").memory("2048").pullStartedAt(PULL).build();

        // When / Then
        assertThat(TaskCosts.of(task, size(1024, 2048), PRICES)).isEmpty();
    }
}
