package dev.skiff.benchmarks;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * (b) Cron at scale: 10,000 and 100,000 schedules in eight time zones, on two sets with the same number of fires:
 * the current one (10,000 firing once a minute, 100,000 once every ten minutes, two thirds of them at second 0)
 * and one whose fires are spread evenly over the seconds. For each, Skiff's CronScheduler (real TickLoop, real
 * clock, an engine that only records starts) and then Quartz, each in a JVM of its own ({@link CronChild}) for the
 * same wall time; prints whole-process CPU per minute (and the scheduler threads' apart), heap after GC,
 * registration time, fires checked against Quartz's CronExpression, fire lateness and the ratios.
 */
final class CronBenchmark {

    /** Fires due in the last seconds of a window may not have been dispatched when it ends; they are not counted. */
    static final Duration GRACE = Duration.ofSeconds(10);
    private static final List<Integer> SIZES = List.of(10_000, 100_000);

    private CronBenchmark() {
    }

    static void run() throws Exception {
        long seconds = Long.getLong("skiff.bench.cron-seconds", 120);
        System.out.printf("cron (./mvnw -B -Pbench -pl benchmarks -am verify -DskipTests -Dbench=cron -Dbench.cronSeconds=%d):"
                        + " each scheduler in a JVM of its own, measured for %d s of wall time per size and set; Quartz with %d"
                        + " threads and batches of up to %d triggers; load average %s%n",
                seconds, seconds, QuartzCron.THREADS, QuartzCron.THREADS, LatencyBenchmark.loadAverage());
        for (String set : CronWorkload.SETS) {
            for (int size : SIZES) {
                CronResult skiff = child("skiff", set, size, seconds);
                CronResult quartz = child("quartz", set, size, seconds);
                skiff.print();
                quartz.print();
                CronResult.printRatios(skiff, quartz);
                System.out.printf("cron: load average %s%n", LatencyBenchmark.loadAverage());
            }
        }
    }

    /** Runs one scheduler on one set in a child JVM with the same classpath and heap limit; returns its figures. */
    private static CronResult child(String scheduler, String set, int size, long seconds) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new java.util.ArrayList<>(List.of(java, "-Xmx3g"));
        String misfire = System.getProperty("skiff.bench.quartz-misfire");
        if (misfire != null) {
            command.add("-Dskiff.bench.quartz-misfire=" + misfire);
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), CronChild.class.getName(), scheduler, set,
                Integer.toString(size), Long.toString(seconds)));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        CronResult result = null;
        try (var out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                if (CronResult.isLine(line)) {
                    result = CronResult.parse(line);
                } else {
                    System.out.println("  [" + scheduler + "] " + line);
                }
            }
        }
        int exit = process.waitFor();
        if (result == null) {
            throw new IllegalStateException(scheduler + " on the " + set + " set of " + size + " exited with " + exit + " without figures");
        }
        return result;
    }
}
