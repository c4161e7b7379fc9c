package dev.skiff.benchmarks;

import dev.skiff.jobs.JobSpec;
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
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

/**
 * A 1,000-item fan-out through the embedded engine, as the service runs it (the real process launcher, the real H2
 * file): extract, then a no-op command ({@code true}) for each of 1,000 items, 8 at once, then load. Prints items/s
 * over the fan-out, the time from a step's end to the launch of the step that waits for it (p50, p99 over the runs'
 * two hand-overs each), and the heap the engine holds afterwards.
 */
final class PipelineRunBenchmark {

    private static final int ITEMS = 1_000;
    private static final int RUNS = 3;
    private static final int CONCURRENCY = 8;

    private PipelineRunBenchmark() {
    }

    static void run() throws Exception {
        Path data = Files.createTempDirectory("skiff-bench-pipeline-");
        FanOutJob fan = FanOutJob.of("fan", ITEMS, CONCURRENCY);
        String items = fan.itemsJson();
        JobSpec job = fan.spec();
        Map<String, Instant> launched = new ConcurrentHashMap<>();
        Map<String, Instant> ended = new ConcurrentHashMap<>();
        var finished = new LinkedBlockingQueue<Run>();
        RunListener listener = new RunListener() {
            @Override
            public void attemptLaunched(Run run, Attempt attempt) {
                launched.put(run.runId(), attempt.startedAt());
            }

            @Override
            public void attemptEnded(Run run, Attempt attempt) {
                attempt.endedAt().ifPresent(at -> ended.put(run.runId(), at));
            }

            @Override
            public void runFinished(Run run) {
                if (!run.runId().contains("/")) {
                    finished.add(run);
                }
            }
        };
        List<Double> handOversMs = new ArrayList<>();
        double[] itemRates = new double[RUNS];
        try (var store = H2RunStore.open(data);
             var launcher = new ProcessTaskLauncher(ProcessLauncherOptions.under(data))) {
            var engine = new EmbeddedRunEngine(store, launcher, listener, Clock.systemUTC(), CONCURRENCY);
            engine.recover();
            try (var loop = new TickLoop("bench-pipeline", engine, Clock.systemUTC()).start()) {
                for (int r = 0; r < RUNS; r++) {
                    String runId = String.format("fan-k-%020d", r);
                    engine.start(runId, job, "api", Map.of("ITEMS", items)); // as the dispatcher passes the default
                    Run run = finished.poll(10, TimeUnit.MINUTES);
                    if (run == null || run.status() != RunStatus.SUCCEEDED) {
                        throw new IllegalStateException("run " + runId + " ended " + (run == null ? "not at all"
                                : run.status() + " " + run.error().orElse("") + ": " + run.cause().orElse("")));
                    }
                    Instant firstItem = IntStream.range(0, ITEMS).mapToObj(i -> launched.get(runId + "/transform[" + i + "]"))
                            .min(Instant::compareTo).orElseThrow();
                    Instant lastItem = IntStream.range(0, ITEMS).mapToObj(i -> ended.get(runId + "/transform[" + i + "]"))
                            .max(Instant::compareTo).orElseThrow();
                    itemRates[r] = ITEMS / (Duration.between(firstItem, lastItem).toNanos() / 1e9);
                    handOversMs.add(Duration.between(ended.get(runId + "/extract"), firstItem).toNanos() / 1e6);
                    handOversMs.add(Duration.between(lastItem, launched.get(runId + "/load")).toNanos() / 1e6);
                    System.out.printf("  run %d: %,d items in %.2f s = %,.0f items/s%n", r + 1, ITEMS,
                            Duration.between(firstItem, lastItem).toNanos() / 1e9, itemRates[r]);
                }
            }
            System.gc();
            long heapMiB = (Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory()) / (1024 * 1024);
            var handOvers = new Stats(handOversMs.stream().mapToDouble(Double::doubleValue).toArray());
            System.out.printf("pipeline run: %,d-item fan-out of a no-op command, %d at once, embedded engine: median"
                            + " %,.0f items/s over %d runs; a step's end to the next step's launch p50 %.1f ms, p99 %.1f ms;"
                            + " heap in use after %d runs %d MiB%n", ITEMS, CONCURRENCY, Stats.median(itemRates), RUNS,
                    handOvers.percentile(50), handOvers.percentile(99), RUNS, heapMiB);
        }
    }
}
