package dev.skiff.orchestrator.adapter.ecs;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
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

    /** Decimal places of an estimate: micro-dollars. */
    public static final int SCALE = 6;
    private static final Duration MINIMUM = Duration.ofMinutes(1);
    private static final BigDecimal MIB_PER_GIB = BigDecimal.valueOf(1024);
    private static final BigDecimal SECONDS_PER_HOUR = BigDecimal.valueOf(3600);

    public FargatePrices {
        if (vcpuHour < 0 || gbHour < 0) {
            throw new IllegalArgumentException("prices must not be negative: vcpu-hour " + vcpuHour + ", gb-hour " + gbHour);
        }
        if (spotDiscount < 0 || spotDiscount >= 1) {
            throw new IllegalArgumentException("spot-discount must be at least 0 and below 1, not " + spotDiscount);
        }
    }

    /**
     * What a task cost: per second, rounded up, one minute at least; in USD with 6 decimal places (a
     * micro-dollar). BigDecimal, not double: it is money that is stored, summed over attempts and shown,
     * and 6 places always print plainly (never {@code 1E-7}).
     *
     * @param cpuUnits  task CPU units (1024 = 1 vCPU)
     * @param memoryMiB task memory
     * @param billed    from the start of the image pull to the task's stop
     */
    public BigDecimal estimate(int cpuUnits, int memoryMiB, boolean spot, Duration billed) {
        Duration duration = billed.compareTo(MINIMUM) < 0 ? MINIMUM : billed;
        long seconds = duration.getSeconds() + (duration.getNano() > 0 ? 1 : 0);
        BigDecimal perHour = BigDecimal.valueOf(cpuUnits).multiply(BigDecimal.valueOf(vcpuHour))
                .add(BigDecimal.valueOf(memoryMiB).multiply(BigDecimal.valueOf(gbHour)))
                .divide(MIB_PER_GIB);
        BigDecimal cost = perHour.multiply(BigDecimal.valueOf(seconds)).divide(SECONDS_PER_HOUR, MathContext.DECIMAL64);
        if (spot) {
            cost = cost.multiply(BigDecimal.ONE.subtract(BigDecimal.valueOf(spotDiscount)));
        }
        return cost.setScale(SCALE, RoundingMode.HALF_UP);
    }
}
