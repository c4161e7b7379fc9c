package dev.skiff.orchestrator.adapter.ecs;

import java.time.Duration;

/**
 * Fargate list prices, to estimate what an attempt cost. Fargate bills per second with a one-minute
 * minimum, by vCPU and GB of memory; Spot takes a discount off both.
 *
 * @param vcpuHour      USD per vCPU-hour (on-demand)
 * @param gbHour        USD per GB-hour of memory (on-demand)
 * @param spotDiscount  the fraction Spot saves, 0 to 1 (0.7 = Spot costs 30% of on-demand)
 */
public record FargatePrices(double vcpuHour, double gbHour, double spotDiscount) {

    /** us-east-1, Linux/x86, at the time of writing. */
    public static final FargatePrices US_EAST_1 = new FargatePrices(0.04048, 0.004445, 0.7);

    private static final Duration MINIMUM = Duration.ofMinutes(1);

    public FargatePrices {
        if (vcpuHour < 0 || gbHour < 0) {
            throw new IllegalArgumentException("prices must not be negative: vcpu-hour " + vcpuHour + ", gb-hour " + gbHour);
        }
        if (spotDiscount < 0 || spotDiscount >= 1) {
            throw new IllegalArgumentException("spot-discount must be at least 0 and below 1, not " + spotDiscount);
        }
    }

    /**
     * @param cpuUnits  task CPU units (1024 = 1 vCPU)
     * @param memoryMiB task memory
     */
    public double estimate(int cpuUnits, int memoryMiB, boolean spot, Duration billed) {
        Duration duration = billed.compareTo(MINIMUM) < 0 ? MINIMUM : billed;
        double hours = duration.toMillis() / 3_600_000.0;
        double onDemand = hours * (cpuUnits / 1024.0 * vcpuHour + memoryMiB / 1024.0 * gbHour);
        return spot ? onDemand * (1 - spotDiscount) : onDemand;
    }
}
