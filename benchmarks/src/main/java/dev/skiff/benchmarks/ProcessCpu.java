package dev.skiff.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The CPU time a process (all its threads) has used, from {@code /proc/<pid>/stat}: tells which process of a run on one
 * machine was the bottleneck (one near a core's worth of CPU per second of wall time is).
 */
record ProcessCpu(long pid, String name) {

    /** Linux's USER_HZ, the unit of /proc's times, on every common architecture. */
    private static final double TICKS_PER_SECOND = 100.0;

    /** The moto_server this JVM started (MotoServer's child). */
    static ProcessCpu moto() {
        return ProcessHandle.current().descendants()
                .filter(p -> p.info().commandLine().orElse("").contains("moto_server"))
                .findFirst().map(p -> new ProcessCpu(p.pid(), "moto")).orElseThrow(
                        () -> new IllegalStateException("no moto_server among this JVM's child processes"));
    }

    /** This JVM. */
    static ProcessCpu self() {
        return new ProcessCpu(ProcessHandle.current().pid(), "this JVM");
    }

    /** User and system CPU seconds used so far. */
    double seconds() {
        return seconds(Path.of("/proc", Long.toString(pid), "stat"));
    }

    /**
     * User and system CPU seconds used so far by the process's threads named {@code thread} (as /proc shows a thread's
     * name: its first 15 characters).
     */
    double threadSeconds(String thread) {
        String shown = thread.length() > 15 ? thread.substring(0, 15) : thread;
        double total = 0;
        try (var tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : tasks.toList()) {
                try {
                    if (Files.readString(task.resolve("comm")).trim().equals(shown)) {
                        total += seconds(task.resolve("stat"));
                    }
                } catch (IOException | IllegalStateException ended) {
                    // the thread ended meanwhile
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot list the threads of " + name + " (pid " + pid + ")", e);
        }
        return total;
    }

    private double seconds(Path stat) {
        try {
            return seconds(Files.readString(stat));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the CPU time of " + name + " (pid " + pid + ")", e);
        }
    }

    /**
     * CPU seconds so far of each of the process's threads, summed by the thread's name with its number taken out
     * ({@code GC Thread#1} counts as {@code GC Thread#}): tells the JVM's own work (GC, JIT) from the program's.
     */
    java.util.Map<String, Double> secondsByThread() {
        java.util.Map<String, Double> byName = new java.util.TreeMap<>();
        try (var tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : tasks.toList()) {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    String thread = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')')).replaceAll("\\d+$", "");
                    byName.merge(thread, seconds(stat), Double::sum);
                } catch (IOException ended) {
                    // the thread ended meanwhile
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot list the threads of " + name + " (pid " + pid + ")", e);
        }
        return byName;
    }

    /** The threads that used the most CPU between two {@link #secondsByThread} readings, as seconds per minute. */
    static String busiest(java.util.Map<String, Double> before, java.util.Map<String, Double> after, double minutes) {
        return after.entrySet().stream()
                .map(e -> java.util.Map.entry(e.getKey(), (e.getValue() - before.getOrDefault(e.getKey(), 0.0)) / minutes))
                .filter(e -> e.getValue() > 0).sorted(java.util.Map.Entry.<String, Double>comparingByValue().reversed()).limit(6)
                .map(e -> String.format("%s %.3f", e.getKey(), e.getValue())).collect(java.util.stream.Collectors.joining(", "));
    }

    private static double seconds(String stat) {
        // the fields after the command name, which is in parentheses and may hold spaces
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / TICKS_PER_SECOND;
    }
}
