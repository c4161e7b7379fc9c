package dev.skiff.benchmarks;

import dev.skiff.jobs.JobSpec;
import dev.skiff.jobs.JobSpecs;
import dev.skiff.workflows.CompileOptions;
import dev.skiff.workflows.WorkflowCompiler;
import java.nio.charset.StandardCharsets;

/**
 * A 50-step pipeline: how long validating its spec and compiling it to ASL take, for a graph that is series-parallel
 * (a chain of diamonds, compiled exactly) and for one that is not (crossing dependencies, compiled in levels), each
 * with a fan-out on every fifth step. Medians over measured rounds after a warm-up.
 */
final class PipelineCompileBenchmark {

    private static final int STEPS = 50;
    private static final int ROUNDS = 15;
    private static final int WARM_UP_ROUNDS = 200;
    private static final int PER_ROUND = 20;

    private PipelineCompileBenchmark() {
    }

    static void run() {
        measure("series-parallel", spec(true));
        measure("levelled", spec(false));
    }

    private static void measure(String shape, String yaml) {
        JobSpec job = JobSpecs.parse("pipeline.yaml", yaml);
        CompileOptions options = CompileOptions.defaults().withDispatchQueueUrl("https://sqs.eu-west-1.amazonaws.com/123456789012/dispatch");
        String asl = WorkflowCompiler.compile(job, options);
        for (int i = 0; i < WARM_UP_ROUNDS; i++) {
            JobSpecs.check("pipeline.yaml", yaml);
            WorkflowCompiler.compile(job, options);
        }
        double[] validate = new double[ROUNDS];
        double[] compile = new double[ROUNDS];
        for (int r = 0; r < ROUNDS; r++) {
            long start = System.nanoTime();
            for (int i = 0; i < PER_ROUND; i++) {
                if (!JobSpecs.check("pipeline.yaml", yaml).valid()) {
                    throw new IllegalStateException("the benchmark's pipeline is invalid");
                }
            }
            validate[r] = (System.nanoTime() - start) / 1e6 / PER_ROUND;
            start = System.nanoTime();
            for (int i = 0; i < PER_ROUND; i++) {
                WorkflowCompiler.compile(job, options);
            }
            compile[r] = (System.nanoTime() - start) / 1e6 / PER_ROUND;
        }
        System.out.printf("pipeline (%d steps, %s, shape %s): validate median %.2f ms, compile median %.2f ms;"
                        + " definition %,d bytes%n", STEPS, shape, WorkflowCompiler.shape(job), Stats.median(validate),
                Stats.median(compile), asl.getBytes(StandardCharsets.UTF_8).length);
    }

    /**
     * Fifty steps in groups of five (a, b, c, d, join), each group after the previous join: c waits for a, d for b, the
     * join for c and d — two chains side by side, series-parallel. Without {@code seriesParallel}, d also waits for a,
     * so the dependencies cross (a→c, a→d, b→d) and the group compiles in levels.
     */
    private static String spec(boolean seriesParallel) {
        var yaml = new StringBuilder("""
                name: pipeline-bench
                owner: team-a
                image: etl:1
                command: [run]
                parameters:
                  PARTS: {default: '[1,2,3,4]'}
                steps:
                """);
        for (int i = 0; i < STEPS; i++) {
            yaml.append("  - name: s").append(i).append('\n');
            String deps = dependencies(i, seriesParallel);
            if (!deps.isEmpty()) {
                yaml.append("    dependsOn: [").append(deps).append("]\n");
            }
            if (i % 5 == 2) {
                yaml.append("    forEach: {items: $.parameters.PARTS, maxConcurrency: 2, toleratedFailures: 1}\n");
            }
        }
        return yaml.toString();
    }

    private static String dependencies(int i, boolean seriesParallel) {
        int group = i - i % 5;
        String previousJoin = group == 0 ? "" : "s" + (group - 1);
        return switch (i % 5) {
            case 0, 1 -> previousJoin;                                                      // a, b
            case 2 -> "s" + group;                                                          // c after a
            case 3 -> seriesParallel ? "s" + (group + 1) : "s" + group + ", s" + (group + 1); // d after b (and a)
            default -> "s" + (group + 2) + ", s" + (group + 3);                             // join after c and d
        };
    }
}
