package dev.skiff.benchmarks;

import java.time.Duration;
import java.util.List;

/**
 * One scheduler on one schedule set in a JVM of its own, so that its whole-process CPU holds nothing of the
 * other scheduler's (garbage, JIT, threads). Warms its scheduler up on the set, measures a new one, and prints its figures and the
 * {@link CronResult#line} its parent reads.
 *
 * <p>Arguments: {@code skiff|quartz <set> <schedules> <window seconds>}.
 */
public final class CronChild {

    private static final Duration WARM_UP = Duration.ofSeconds(40);

    private CronChild() {
    }

    public static void main(String[] args) throws Exception {
        java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.WARNING);
        boolean skiff = args[0].equals("skiff");
        String set = args[1];
        int size = Integer.parseInt(args[2]);
        Duration window = Duration.ofSeconds(Long.parseLong(args[3]));
        // The same set first, unmeasured, on a scheduler thrown away after: otherwise the JIT compiler still works on
        // the set's own paths during the window (0.08 CPU s/min of C2 in a Skiff process that spends 0.08 on firing).
        List<CronWorkload.CronDef> defs = CronWorkload.set(set, size);
        run(skiff, defs, "warm-up", WARM_UP.plus(CronBenchmark.GRACE));
        CronResult result = run(skiff, defs, set, window);
        System.out.println(result.line());
        System.exit(0); // Quartz's and the tick loop's threads are daemons, but say so plainly
    }

    private static CronResult run(boolean skiff, List<CronWorkload.CronDef> defs, String set, Duration window) throws Exception {
        double base = Measure.heapAfterGcMb();
        return skiff ? SkiffCron.run(defs, set, window, base) : QuartzCron.run(defs, set, window, base);
    }
}
