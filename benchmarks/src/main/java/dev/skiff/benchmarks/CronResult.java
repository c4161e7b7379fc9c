package dev.skiff.benchmarks;

/**
 * What one scheduler cost over one measured window.
 *
 * @param registerSeconds       time to hand the scheduler the whole set
 * @param heapMb                heap used after GC with the schedules registered, above the baseline without them
 * @param schedulerCpuPerMinute CPU seconds of the scheduler's own threads per minute of wall time
 * @param processCpuPerMinute   CPU seconds of the whole JVM per minute of wall time (adds GC, JIT and the idle main thread)
 * @param lateness              milliseconds from each fire's scheduled instant to its dispatch
 * @param changeMs              time to apply a change of one schedule with the whole set registered
 */
record CronResult(String scheduler, int schedules, double registerSeconds, double heapMb, double schedulerCpuPerMinute,
                  double processCpuPerMinute, int fires, int expectedFires, Stats lateness, double changeMs) {

    CronResult withChangeMs(double ms) {
        return new CronResult(scheduler, schedules, registerSeconds, heapMb, schedulerCpuPerMinute, processCpuPerMinute,
                fires, expectedFires, lateness, ms);
    }

    void print() {
        System.out.printf("cron: %-6s %,7d schedules: register %6.2f s, heap %7.1f MB, scheduler CPU %6.3f s/min (whole JVM %6.3f s/min), "
                        + "fires %,d of %,d due, lateness p50 %.1f ms p99 %.1f ms max %.1f ms, one-schedule change %.1f ms%n",
                scheduler, schedules, registerSeconds, heapMb, schedulerCpuPerMinute, processCpuPerMinute, fires, expectedFires,
                lateness.percentile(50), lateness.percentile(99), lateness.percentile(100), changeMs);
    }

    static void printRatios(CronResult skiff, CronResult quartz) {
        System.out.printf("cron: Skiff/Quartz at %,d schedules: scheduler CPU %.2f, heap %.2f, register %.2f, lateness p50 %.2f, p99 %.2f%n",
                skiff.schedules(), skiff.schedulerCpuPerMinute() / quartz.schedulerCpuPerMinute(), skiff.heapMb() / quartz.heapMb(),
                skiff.registerSeconds() / quartz.registerSeconds(), skiff.lateness().percentile(50) / quartz.lateness().percentile(50),
                skiff.lateness().percentile(99) / quartz.lateness().percentile(99));
    }
}
