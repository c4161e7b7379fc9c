package dev.skiff.orchestrator.adapter.ecs;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.Objects;

/**
 * Fargate list prices of one region and CPU architecture, to estimate what an attempt cost. Fargate bills per second
 * with a one-minute minimum, by vCPU, by GB of memory, and by GB of ephemeral storage above the 20 GB every task gets
 * free; Spot has its own vCPU and memory prices (storage costs the same).
 *
 * @param vcpuHour      USD per vCPU-hour, on-demand
 * @param gbHour        USD per GB-hour of memory, on-demand
 * @param spotVcpuHour  USD per vCPU-hour on Fargate Spot
 * @param spotGbHour    USD per GB-hour of memory on Fargate Spot
 * @param storageGbHour USD per GB-hour of ephemeral storage above {@link #FREE_STORAGE_GIB}
 */
public record FargatePrices(BigDecimal vcpuHour, BigDecimal gbHour, BigDecimal spotVcpuHour, BigDecimal spotGbHour,
                            BigDecimal storageGbHour) {

    /** Decimal places of an estimate: micro-dollars. */
    public static final int SCALE = 6;
    /** Ephemeral storage every Fargate task gets without charge. */
    public static final int FREE_STORAGE_GIB = 20;
    private static final Duration MINIMUM = Duration.ofMinutes(1);
    private static final BigDecimal MIB_PER_GIB = BigDecimal.valueOf(1024);
    private static final BigDecimal SECONDS_PER_HOUR = BigDecimal.valueOf(3600);

    public FargatePrices {
        for (BigDecimal price : new BigDecimal[] {vcpuHour, gbHour, spotVcpuHour, spotGbHour, storageGbHour}) {
            if (Objects.requireNonNull(price, "price").signum() < 0) {
                throw new IllegalArgumentException("prices must not be negative: " + price.toPlainString());
            }
        }
    }

    /**
     * USD per hour of a task of this size.
     *
     * @param cpuUnits            task CPU units (1024 = 1 vCPU)
     * @param memoryMiB           task memory
     * @param ephemeralStorageGiB the task's ephemeral storage; only what is above {@link #FREE_STORAGE_GIB} is billed
     */
    public BigDecimal hourly(int cpuUnits, int memoryMiB, int ephemeralStorageGiB, boolean spot) {
        BigDecimal compute = BigDecimal.valueOf(cpuUnits).multiply(spot ? spotVcpuHour : vcpuHour)
                .add(BigDecimal.valueOf(memoryMiB).multiply(spot ? spotGbHour : gbHour))
                .divide(MIB_PER_GIB);
        BigDecimal storage = BigDecimal.valueOf(Math.max(0, ephemeralStorageGiB - FREE_STORAGE_GIB)).multiply(storageGbHour);
        return compute.add(storage);
    }

    /**
     * What a task cost: per second, rounded up, one minute at least; in USD with 6 decimal places (a micro-dollar).
     * BigDecimal, not double: it is money that is stored, summed over attempts and shown, and 6 places always print
     * plainly (never {@code 1E-7}).
     *
     * @param billed from the start of the image pull to the task's stop
     */
    public BigDecimal estimate(int cpuUnits, int memoryMiB, int ephemeralStorageGiB, boolean spot, Duration billed) {
        Duration duration = billed.compareTo(MINIMUM) < 0 ? MINIMUM : billed;
        long seconds = duration.getSeconds() + (duration.getNano() > 0 ? 1 : 0);
        BigDecimal cost = hourly(cpuUnits, memoryMiB, ephemeralStorageGiB, spot).multiply(BigDecimal.valueOf(seconds))
                .divide(SECONDS_PER_HOUR, MathContext.DECIMAL64);
        return cost.setScale(SCALE, RoundingMode.HALF_UP);
    }
}
