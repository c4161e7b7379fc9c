package dev.skiff.benchmarks;

import dev.skiff.jobs.JobSpec;
import dev.skiff.jobs.JobSpecs;
import dev.skiff.orchestrator.adapter.embedded.EmbeddedRunEngine;
import dev.skiff.orchestrator.adapter.embedded.H2RunStore;
import dev.skiff.orchestrator.adapter.local.ProcessLauncherOptions;
import dev.skiff.orchestrator.adapter.local.ProcessTaskLauncher;
import dev.skiff.orchestrator.app.TickLoop;
import dev.skiff.orchestrator.port.RunListener;
import dev.skiff.workflows.Attempt;
import dev.skiff.workflows.Run;
import dev.skiff.workflows.RunStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The embedded engine running 1,000 runs of a no-op command ({@code true}) through the real process
 * launcher and the real H2 file, as the service runs them: runs/s from the first trigger to the last
 * end, and the time from each trigger to its process start (p50, p99).
 */
final class EngineBenchmark {

    private static final int RUNS = 1_000;

    static void run(int concurrency) throws Exception {
        Path data = Files.createTempDirectory("skiff-bench-");
        JobSpec job = JobSpecs.parse("noop.yaml", """
                name: noop
                owner: bench
                image: example/noop:1
                command: ["true"]
                """);
        var startLatencyMs = new ConcurrentHashMap<String, Double>();
        var finished = new CountDownLatch(RUNS);
        var failures = new ConcurrentHashMap<String, RunStatus>();
        RunListener listener = new RunListener() {
            @Override
            public void attemptLaunched(Run run, Attempt attempt) {
                startLatencyMs.put(run.runId(), Duration.between(run.createdAt(), attempt.startedAt()).toNanos() / 1e6);
            }

            @Override
            public void runFinished(Run run) {
                if (run.status() != RunStatus.SUCCEEDED) {
                    failures.put(run.runId(), run.status());
                }
                finished.countDown();
            }
        };
        try (var store = H2RunStore.open(data);
             var launcher = new ProcessTaskLauncher(ProcessLauncherOptions.under(data))) {
            var engine = new EmbeddedRunEngine(store, launcher, listener, Clock.systemUTC(), concurrency);
            engine.recover();
            try (var loop = new TickLoop("bench-engine", engine, Clock.systemUTC()).start()) {
                long begin = System.nanoTime();
                for (int i = 0; i < RUNS; i++) {
                    engine.start(String.format("noop-k-%020d", i), job, "api", Map.of());
                }
                double submitSeconds = (System.nanoTime() - begin) / 1e9;
                if (!finished.await(10, TimeUnit.MINUTES)) {
                    throw new IllegalStateException("only " + (RUNS - finished.getCount()) + " runs ended in 10 minutes");
                }
                double seconds = (System.nanoTime() - begin) / 1e9;
                var latency = new Stats(startLatencyMs.values().stream().mapToDouble(Double::doubleValue).toArray());
                System.out.printf("engine: %,d no-op runs, %d at once: %.2f s, %,.0f runs/s (submitting took %.2f s); "
                                + "%d did not succeed%n", RUNS, concurrency, seconds, RUNS / seconds, submitSeconds, failures.size());
                System.out.printf("engine: trigger to process start p50 %.1f ms, p99 %.1f ms, max %.1f ms "
                                + "(includes the wait for a free slot while %d runs queue)%n",
                        latency.percentile(50), latency.percentile(99), latency.percentile(100), RUNS);
            }
        }
    }

    /** The start latency of a run that finds a free slot: one run at a time, each waited for. */
    static void runUnloaded() throws Exception {
        Path data = Files.createTempDirectory("skiff-bench-");
        JobSpec job = JobSpecs.parse("noop.yaml", "name: noop\nowner: bench\nimage: example/noop:1\ncommand: [\"true\"]\n");
        int runs = 200;
        double[] latencies = new double[runs];
        var ended = new java.util.concurrent.LinkedBlockingQueue<String>();
        var index = new java.util.concurrent.atomic.AtomicInteger();
        RunListener listener = new RunListener() {
            @Override
            public void attemptLaunched(Run run, Attempt attempt) {
                latencies[index.getAndIncrement()] = Duration.between(run.createdAt(), attempt.startedAt()).toNanos() / 1e6;
            }

            @Override
            public void runFinished(Run run) {
                ended.add(run.runId());
            }
        };
        try (var store = H2RunStore.open(data);
             var launcher = new ProcessTaskLauncher(ProcessLauncherOptions.under(data))) {
            var engine = new EmbeddedRunEngine(store, launcher, listener, Clock.systemUTC(), 8);
            try (var loop = new TickLoop("bench-engine", engine, Clock.systemUTC()).start()) {
                for (int i = 0; i < runs; i++) {
                    engine.start(String.format("noop-k-%020d", i), job, "api", Map.of());
                    if (ended.poll(30, TimeUnit.SECONDS) == null) {
                        throw new IllegalStateException("run " + i + " did not end");
                    }
                }
            }
        }
        var stats = new Stats(latencies);
        System.out.printf("engine: idle trigger to process start over %d sequential runs: p50 %.1f ms, p99 %.1f ms%n",
                runs, stats.percentile(50), stats.percentile(99));
    }
}
