package dev.skiff.jobs;

import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;

/**
 * The fixed table of Fargate cpu/memory pairs. Invalid pairs are rejected when a spec is checked,
 * because ECS would otherwise reject them only at launch, long after the author has moved on.
 */
public final class FargateSizes {

    /** One cpu size, the memory sizes (MiB) it allows, and how people read that list. */
    private record Row(int cpu, List<Integer> memory, String description) {

        static Row range(int cpu, int from, int to, int step) {
            var sizes = IntStream.iterate(from, m -> m <= to, m -> m + step).boxed().toList();
            return new Row(cpu, sizes, from + "-" + to + " in steps of " + step);
        }
    }

    private static final List<Row> ROWS = List.of(
            // The one row that is not a range: 1536 MiB is not offered with 256 cpu.
            new Row(256, List.of(512, 1024, 2048), "512, 1024 or 2048"),
            Row.range(512, 1024, 4096, 1024),
            Row.range(1024, 2048, 8192, 1024),
            Row.range(2048, 4096, 16384, 1024),
            Row.range(4096, 8192, 30720, 1024),
            Row.range(8192, 16384, 61440, 4096),
            Row.range(16384, 32768, 122880, 8192));

    private FargateSizes() {
    }

    /** The cpu sizes Fargate offers, smallest first. */
    public static List<Integer> cpuSizes() {
        return ROWS.stream().map(Row::cpu).toList();
    }

    public static boolean isCpu(int cpu) {
        return row(cpu).isPresent();
    }

    /** True when Fargate accepts this memory (MiB) with this cpu. */
    public static boolean isValid(int cpu, int memory) {
        return row(cpu).map(r -> r.memory().contains(memory)).orElse(false);
    }

    /** The allowed memory for a cpu as people read it, e.g. {@code 2048-8192 in steps of 1024}. */
    public static String describeAllowed(int cpu) {
        return row(cpu).orElseThrow(() -> unknownCpu(cpu)).description();
    }

    /** The default memory for a cpu: the smallest Fargate allows. */
    public static int smallestMemory(int cpu) {
        return row(cpu).orElseThrow(() -> unknownCpu(cpu)).memory().get(0);
    }

    private static Optional<Row> row(int cpu) {
        return ROWS.stream().filter(r -> r.cpu() == cpu).findFirst();
    }

    private static IllegalArgumentException unknownCpu(int cpu) {
        return new IllegalArgumentException(cpu + " is not a Fargate cpu size (allowed " + cpuSizes() + ")");
    }
}
