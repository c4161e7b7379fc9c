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
            String text = Files.readString(stat);
            // the fields after the command name, which is in parentheses and may hold spaces
            String[] fields = text.substring(text.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / TICKS_PER_SECOND;
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the CPU time of " + name + " (pid " + pid + ")", e);
        }
    }
}
