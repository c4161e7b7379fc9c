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

    private CronBenchmark() {
    }

    static void run() throws Exception {
        long seconds = Long.getLong("skiff.bench.cron-seconds", 120);
        List<String> sets = list("skiff.bench.cron-sets", String.join(",", CronWorkload.SETS));
        List<Integer> sizes = list("skiff.bench.cron-sizes", "10000,100000").stream().map(Integer::parseInt).toList();
        int repeats = Integer.getInteger("skiff.bench.cron-repeats", 1);
        long settle = Long.getLong("skiff.bench.cron-settle-seconds", 0);
        System.out.printf("cron (./mvnw -B -o -Pbench -pl benchmarks -am verify -DskipTests -Dbench=cron -Dbench.cronSeconds=%d"
                        + " -Dbench.cronSets=%s -Dbench.cronSizes=%s -Dbench.cronRepeats=%d -Dbench.cronSettleSeconds=%d):"
                        + " each scheduler in a JVM of its own, measured for %d s of wall time per size and set%s; Quartz with %d"
                        + " threads and batches of up to %d triggers; load average %s%n",
                seconds, String.join(",", sets), sizes.stream().map(String::valueOf).collect(java.util.stream.Collectors.joining(",")),
                repeats, settle, seconds,
                settle > 0 ? ", after the same set ran " + settle + " s unmeasured (steady state)" : " (from the set's start)",
                QuartzCron.THREADS, QuartzCron.THREADS, LatencyBenchmark.loadAverage());
        List<CronGoals.Case> cases = new java.util.ArrayList<>();
        for (String set : sets) {
            for (int size : sizes) {
                for (int repeat = 0; repeat < repeats; repeat++) {
                    CronResult skiff = child("skiff", set, size, seconds, settle);
                    CronResult quartz = child("quartz", set, size, seconds, settle);
                    skiff.print();
                    quartz.print();
                    CronResult.printRatios(skiff, quartz);
                    CronGoals.Case one = new CronGoals.Case(skiff, quartz);
                    one.print();
                    cases.add(one);
                    System.out.printf("cron: load average %s%n", LatencyBenchmark.loadAverage());
                }
            }
        }
        CronGoals.printSummary(cases);
    }

    private static List<String> list(String property, String fallback) {
        return java.util.Arrays.stream(System.getProperty(property, fallback).split(",")).map(String::trim)
                .filter(s -> !s.isEmpty()).toList();
    }

    /** Runs one scheduler on one set in a child JVM with the same classpath and heap limit; returns its figures. */
    private static CronResult child(String scheduler, String set, int size, long seconds, long settle) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new java.util.ArrayList<>(List.of(java, "-Xmx3g"));
        String misfire = System.getProperty("skiff.bench.quartz-misfire", "");
        if (!misfire.isBlank()) {
            command.add("-Dskiff.bench.quartz-misfire=" + misfire);
        }
        String jfr = System.getProperty("skiff.bench.cron-jfr", ""); // a directory: a flight recording of each child
        if (!jfr.isBlank()) {
            command.add("-XX:StartFlightRecording=settings=profile,filename="
                    + Path.of(jfr, "cron-" + scheduler + "-" + set + "-" + size + "-" + System.nanoTime() + ".jfr").toAbsolutePath());
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), CronChild.class.getName(), scheduler, set,
                Integer.toString(size), Long.toString(seconds), Long.toString(settle)));
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
