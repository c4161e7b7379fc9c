package dev.skiff.benchmarks;

import java.util.Locale;

/**
 * What one scheduler cost over one measured window, in a process of its own.
 *
 * @param set                   which schedule set ({@link CronWorkload#sets})
 * @param registerSeconds       time to hand the scheduler the whole set
 * @param heapMb                heap used after GC with the schedules registered, above the baseline without them
 * @param schedulerCpuPerMinute CPU seconds of the scheduler's own threads per minute of wall time
 * @param processCpuPerMinute   CPU seconds of the whole process ({@link ProcessCpu}: every thread, GC and JIT) per minute
 * @param dueRun                fires due in the window (by Quartz's CronExpression) that ran, each counted once
 * @param due                   fires due in the window
 * @param notDue                fires that ran in the window at an instant that was not due, or ran a second time
 * @param latenessP50           milliseconds from a due fire's instant to its dispatch
 * @param changeMs              time to apply a change of one schedule with the whole set registered
 */
record CronResult(String scheduler, String set, int schedules, double registerSeconds, double heapMb,
                  double schedulerCpuPerMinute, double processCpuPerMinute, int dueRun, int due, int notDue,
                  double latenessP50, double latenessP99, double latenessMax, double changeMs) {

    private static final String PREFIX = "cron-result ";

    static CronResult of(String scheduler, String set, int schedules, double registerSeconds, double heapMb,
                         double schedulerCpu, double processCpu, int dueRun, int due, int notDue, Stats lateness,
                         double changeMs) {
        return new CronResult(scheduler, set, schedules, registerSeconds, heapMb, schedulerCpu, processCpu, dueRun, due,
                notDue, lateness.percentile(50), lateness.percentile(99), lateness.percentile(100), changeMs);
    }

    void print() {
        System.out.printf("cron: %-6s %,7d %-9s: register %6.2f s, heap %7.1f MB, whole process CPU %6.3f s/min "
                        + "(scheduler threads %6.3f s/min), due fires run %,d of %,d, not due %,d, "
                        + "lateness p50 %.1f ms p99 %.1f ms max %.1f ms, one-schedule change %.2f ms%n",
                scheduler, schedules, set, registerSeconds, heapMb, processCpuPerMinute, schedulerCpuPerMinute, dueRun, due,
                notDue, latenessP50, latenessP99, latenessMax, changeMs);
    }

    static void printRatios(CronResult skiff, CronResult quartz) {
        System.out.printf("cron: Skiff/Quartz at %,d schedules, %s set: whole process CPU %.2f (scheduler threads %.2f), "
                        + "heap %.2f, register %.2f, lateness p50 %.2f, p99 %.2f%n",
                skiff.schedules(), skiff.set(), skiff.processCpuPerMinute() / quartz.processCpuPerMinute(),
                skiff.schedulerCpuPerMinute() / quartz.schedulerCpuPerMinute(), skiff.heapMb() / quartz.heapMb(),
                skiff.registerSeconds() / quartz.registerSeconds(), skiff.latenessP50() / quartz.latenessP50(),
                skiff.latenessP99() / quartz.latenessP99());
    }

    /** One line a child process prints for its parent. */
    String line() {
        return PREFIX + String.join(" ", scheduler, set, Integer.toString(schedules), Double.toString(registerSeconds),
                Double.toString(heapMb), Double.toString(schedulerCpuPerMinute), Double.toString(processCpuPerMinute),
                Integer.toString(dueRun), Integer.toString(due), Integer.toString(notDue), Double.toString(latenessP50),
                Double.toString(latenessP99), Double.toString(latenessMax), Double.toString(changeMs));
    }

    static boolean isLine(String line) {
        return line.startsWith(PREFIX);
    }

    static CronResult parse(String line) {
        String[] f = line.substring(PREFIX.length()).trim().split(" ");
        return new CronResult(f[0], f[1], Integer.parseInt(f[2]), d(f[3]), d(f[4]), d(f[5]), d(f[6]), Integer.parseInt(f[7]),
                Integer.parseInt(f[8]), Integer.parseInt(f[9]), d(f[10]), d(f[11]), d(f[12]), d(f[13]));
    }

    private static double d(String value) {
        return Double.parseDouble(value.toLowerCase(Locale.ROOT).equals("nan") ? "NaN" : value);
    }
}
