package dev.skiff.benchmarks;

import dev.skiff.jobs.JobSpec;
import java.time.Duration;
import java.util.List;

/**
 * (b) Cron at scale: 10,000 schedules firing once a minute, then 100,000 firing once every ten
 * minutes, in eight time zones. Each size runs Skiff's CronScheduler (real TickLoop, real clock,
 * an engine that only records starts) and then Quartz with the same fires, each for the same wall
 * time, and prints CPU per minute, heap after GC, registration time, fire lateness and the ratios.
 */
final class CronBenchmark {

    /** Fires due in the last seconds of a window may not have been dispatched when it ends; they are not counted. */
    static final Duration GRACE = Duration.ofSeconds(10);
    private static final Duration WARM_UP = Duration.ofSeconds(15);

    private CronBenchmark() {
    }

    static void run() throws Exception {
        Duration window = Duration.ofSeconds(Long.getLong("skiff.bench.cron-seconds", 120));
        System.out.printf("cron: each scheduler measured for %d s of wall time per size; Quartz with %d threads and batches of up to %d triggers%n",
                window.toSeconds(), QuartzCron.THREADS, QuartzCron.THREADS);
        warmUp();
        compare("every minute", CronWorkload.everyMinute(10_000), window);
        compare("every ten minutes", CronWorkload.everyTenMinutes(100_000), window);
    }

    /** A thousand every-second schedules in each, so neither is measured while its fire path is still interpreted. */
    private static void warmUp() throws Exception {
        var defs = CronWorkload.everySecond(1_000);
        SkiffCron.run(SkiffCron.specs(defs), WARM_UP.plus(GRACE), 0);
        QuartzCron.run(defs, WARM_UP.plus(GRACE), 0);
    }

    private static void compare(String label, List<CronWorkload.CronDef> defs, Duration window) throws Exception {
        double base = Measure.heapAfterGcMb();
        long parseStart = System.nanoTime();
        List<JobSpec> specs = SkiffCron.specs(defs);
        double parseSeconds = (System.nanoTime() - parseStart) / 1e9;
        double specsMb = Measure.heapAfterGcMb() - base;
        CronResult skiff = SkiffCron.run(specs, window, base);
        specs = null; // let the catalog and its specs go before Quartz is measured
        System.out.printf("cron: %,d schedules %s: parsing and validating the %,d specs took %.1f s (not in Skiff's register time); "
                        + "of Skiff's heap, the parsed specs hold %.1f MB and the catalog and scheduler %.1f MB%n",
                defs.size(), label, defs.size(), parseSeconds, specsMb, skiff.heapMb() - specsMb);
        CronResult quartz = QuartzCron.run(defs, window, Measure.heapAfterGcMb());
        skiff.print();
        quartz.print();
        CronResult.printRatios(skiff, quartz);
    }
}
