package dev.skiff.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Runs the benchmarks and prints their figures. Not a test: these machines are shared and noisy,
 * so the figures are medians and percentiles to read, not thresholds to assert.
 *
 * <p>{@code ./mvnw -B -Pbench -pl benchmarks -am verify -DskipTests [-Dbench=validate|pipeline|pipeline-moto|engine|intake|cron|fargate|latency|stepfunctions|follow|follow-moto|scale|startup]}
 *
 * <p>{@code pipeline} is the embedded engine's fan-out; {@code pipeline-moto} the same fan-out in Step Functions mode on
 * moto ({@code -Dbench.motoItems=1000 -Dbench.motoRuns=2}); {@code all} runs both. {@code follow} and
 * {@code follow-moto} are the same hand-over (a run that follows another) in embedded mode and on moto. {@code scale}
 * (not in {@code all}) starts the service on many generated specs ({@code -Dbench.scaleJobs=1000,100000
 * -Dbench.scaleS3Jobs=1000 -Dbench.scaleIdleSeconds=60}). {@code startup}
 * starts the packaged service as shipped and with the JVM's defaults ({@link StartupBenchmark}); not part of {@code all}.
 */
public final class Benchmarks {

    private Benchmarks() {
    }

    public static void main(String[] args) throws Exception {
        // The engine logs each run at INFO; a thousand runs of that would bury the figures.
        java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.WARNING);
        for (var handler : java.util.logging.Logger.getLogger("").getHandlers()) {
            handler.setLevel(java.util.logging.Level.WARNING);
        }
        String which = args.length == 0 ? "all" : args[0];
        Path examples = findExamples();
        System.out.printf("Skiff benchmarks on %d cores, Java %s%n", Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"));
        if (which.equals("all") || which.equals("validate")) {
            ValidateBenchmark.run(examples);
        }
        if (which.equals("all") || which.equals("pipeline")) {
            PipelineCompileBenchmark.run();
            PipelineRunBenchmark.run();
        }
        if (which.equals("all") || which.equals("pipeline-moto")) {
            PipelineMotoBenchmark.run();
        }
        if (which.equals("all") || which.equals("engine")) {
            EngineBenchmark.runUnloaded();
            EngineBenchmark.run(8);
        }
        if (which.equals("all") || which.equals("intake")) {
            IntakeBenchmark.run();
        }
        if (which.equals("all") || which.equals("cron")) {
            CronBenchmark.run();
        }
        if (which.equals("all") || which.equals("fargate")) {
            FargateBenchmark.run();
        }
        if (which.equals("all") || which.equals("latency")) {
            LatencyBenchmark.run();
        }
        if (which.equals("all") || which.equals("stepfunctions")) {
            StepFunctionsBenchmark.run();
        }
        if (which.equals("all") || which.equals("follow")) {
            FollowBenchmark.runEmbedded(examples.toAbsolutePath().getParent().getParent());
        }
        if (which.equals("all") || which.equals("follow-moto")) {
            FollowMotoBenchmark.run();
        }
        if (which.equals("scale")) { // minutes long: run on its own
            ScaleBenchmark.run(examples.toAbsolutePath().getParent().getParent());
        }
        if (which.equals("startup")) {
            StartupBenchmark.run();
        }
    }

    /** The examples directory, whether Maven runs us from the module or the repository root. */
    private static Path findExamples() {
        for (Path candidate : new Path[] {Path.of("jobs/examples"), Path.of("../jobs/examples")}) {
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("cannot find jobs/examples from " + Path.of("").toAbsolutePath());
    }
}
