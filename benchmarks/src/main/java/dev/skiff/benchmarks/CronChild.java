package dev.skiff.benchmarks;

import java.time.Duration;
import java.util.List;

/**
 * One scheduler on one schedule set in a JVM of its own, so that its whole-process CPU holds nothing of the
 * other scheduler's (garbage, JIT, threads). Warms its scheduler up, measures, and prints its figures and the
 * {@link CronResult#line} its parent reads.
 *
 * <p>Arguments: {@code skiff|quartz <set> <schedules> <window seconds>}.
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
        // A thousand every-second schedules first, so neither is measured while its fire path is still interpreted.
        run(skiff, CronWorkload.everySecond(1_000), "warm-up", WARM_UP.plus(CronBenchmark.GRACE));
        CronResult result = run(skiff, CronWorkload.set(set, size), set, window);
        System.out.println(result.line());
        System.exit(0); // Quartz's and the tick loop's threads are daemons, but say so plainly
    }

    private static CronResult run(boolean skiff, List<CronWorkload.CronDef> defs, String set, Duration window) throws Exception {
        double base = Measure.heapAfterGcMb();
        return skiff ? SkiffCron.run(defs, set, window, base) : QuartzCron.run(defs, set, window, base);
    }
}
