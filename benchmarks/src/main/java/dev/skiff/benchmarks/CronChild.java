package dev.skiff.benchmarks;

import dev.skiff.jobs.JobSpec;
import java.time.Duration;
import java.util.List;

/**
 * One scheduler on one schedule set in a JVM of its own, so that its whole-process CPU holds nothing of the
 * other scheduler's (garbage, JIT, threads). Warms its scheduler up, measures, and prints its figures and the
 * {@link CronResult#line} its parent reads.
 *
 * <p>Arguments: {@code skiff|quartz <set> <schedules> <window seconds> [<settle seconds>]}. With settle seconds, the
 * measured set itself runs that long, unmeasured, before the window (a fresh scheduler on the same schedules): the
 * window then holds the steady state of a long-running service rather than the JIT's first compiles of the set's
 * paths, which at 10,000 schedules are a large part of a two-minute window. Both schedulers get the same.
 */
public final class CronChild {

    private static final Duration WARM_UP = Duration.ofSeconds(15);

    private CronChild() {
    }

    public static void main(String[] args) throws Exception {
        java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.WARNING);
        boolean skiff = args[0].equals("skiff");
        String set = args[1];
        int size = Integer.parseInt(args[2]);
        Duration window = Duration.ofSeconds(Long.parseLong(args[3]));
        List<CronWorkload.CronDef> defs = CronWorkload.set(set, size);
        double base = Measure.heapAfterGcMb(); // the specs count in Skiff's heap, as the jobs and triggers do in Quartz's
        // Skiff's job specs are parsed before the warm-up: parsing YAML is the registry's work, not the scheduler's,
        // and the JIT compiling the parser after 10,000 specs would otherwise spill into the measured window.
        List<JobSpec> specs = skiff ? SkiffCron.specs(defs) : List.of();
        // A thousand every-second schedules first, so neither is measured while its fire path is still interpreted.
        List<CronWorkload.CronDef> warmUp = CronWorkload.everySecond(1_000);
        run(skiff, warmUp, skiff ? SkiffCron.specs(warmUp) : List.of(), "warm-up", WARM_UP.plus(CronBenchmark.GRACE),
                Measure.heapAfterGcMb());
        long settle = args.length > 4 ? Long.parseLong(args[4]) : 0;
        if (settle > 0) {
            run(skiff, defs, specs, set + " (settling)", Duration.ofSeconds(settle), base);
        }
        CronResult result = run(skiff, defs, specs, set, window, base);
        System.out.println(result.line());
        System.exit(0); // Quartz's and the tick loop's threads are daemons, but say so plainly
    }

    private static CronResult run(boolean skiff, List<CronWorkload.CronDef> defs, List<JobSpec> specs, String set,
                                  Duration window, double base) throws Exception {
        return skiff ? SkiffCron.run(defs, specs, set, window, base) : QuartzCron.run(defs, set, window, base);
    }
}
