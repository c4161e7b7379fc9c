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
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // the fields after the command name, which is in parentheses and may hold spaces
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / TICKS_PER_SECOND;
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the CPU time of " + name + " (pid " + pid + ")", e);
        }
    }
}
