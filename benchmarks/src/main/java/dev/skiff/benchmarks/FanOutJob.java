package dev.skiff.benchmarks;

import dev.skiff.jobs.JobSpec;
import dev.skiff.jobs.JobSpecs;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The pipeline both halves of the run benchmark time: extract, then a no-op command ({@code true}) for each item of
 * the parameter ITEMS (by default a JSON array of the numbers 0 to n-1), so many at once, then load.
 */
record FanOutJob(String yaml, String itemsJson) {

    static FanOutJob of(String name, int items, int maxConcurrency) {
        String itemsJson = IntStream.range(0, items).mapToObj(Integer::toString).collect(Collectors.joining(",", "[", "]"));
        return new FanOutJob("""
                name: %s
                owner: bench
                image: example/noop:1
                command: ["true"]
                parameters:
                  ITEMS: {default: '%s'}
                steps:
                  - name: extract
                  - name: transform
                    dependsOn: [extract]
                    forEach: {items: $.parameters.ITEMS, maxConcurrency: %d}
                  - name: load
                    dependsOn: [transform]
                """.formatted(name, itemsJson, maxConcurrency), itemsJson);
    }

    JobSpec spec() {
        return JobSpecs.parse("fan.yaml", yaml);
    }
}
