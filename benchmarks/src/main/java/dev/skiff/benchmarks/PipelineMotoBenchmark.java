package dev.skiff.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.skiff.jobs.JobSpec;
import dev.skiff.testing.MotoServer;
import dev.skiff.workflows.RunStatus;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;
import software.amazon.awssdk.services.sfn.model.HistoryEventType;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The pipeline run benchmark's AWS half: the same fan-out (extract, then a no-op command for each of 1,000 items, 40 at
 * once, Step Functions' inline Map cap, then load) through the packaged service in Step Functions mode on moto, with the
 * job in an S3 registry on moto and ECS played by the benchmark (each task the service launches exits 0 at once).
 * Prints items/s over the fan-out, the hand-overs (extract's end to the first item's launch, the last item's end to
 * load's launch) p50/p99 over the runs, the service's resident memory, and moto's own ceiling for the same state
 * machine with no Skiff in the loop ({@link MotoMapCeiling}), of which items/s is given as a share.
 */
final class PipelineMotoBenchmark {

    private static final int ITEMS = Integer.getInteger("skiff.bench.moto-items", 1_000);
    private static final int RUNS = Integer.getInteger("skiff.bench.moto-runs", 2);
    /** Step Functions runs at most about 40 inline Map iterations at once. */
    private static final int CONCURRENCY = 40;
    private static final Duration RUN_TIMEOUT = Duration.ofMinutes(10);
    /** A hand-over this long with no item launched is taken for moto's missed items answer, and woken. */
    private static final Duration STALL = Duration.ofSeconds(3);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One run's figures, in seconds. */
    private record Figures(double fanOutSeconds, double intoFanOut, double outOfFanOut, int itemTasks, int wakes) {
    }

    /** CPU used over a stretch of wall time, in cores (CPU seconds a second) and CPU seconds. */
    private record Cpu(double wallSeconds, double moto, double service, double benchmark) {

        String line() {
            return String.format("moto %.2f cores (%.0f CPU s), service %.2f cores (%.0f CPU s), benchmark %.2f cores,"
                    + " over %.0f s", moto / wallSeconds, moto, service / wallSeconds, service,
                    benchmark / wallSeconds, wallSeconds);
        }
    }

    private PipelineMotoBenchmark() {
    }

    static void run() throws Exception {
        MotoServer moto = MotoServer.shared();
        moto.enableStepFunctionsExecution();
        URI endpoint = moto.endpoint();
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        List<Integer> items = IntStream.range(0, ITEMS).boxed().toList();
        String name = "fan-" + suffix;
        FanOutJob fan = FanOutJob.of(name, ITEMS, CONCURRENCY);
        String itemsJson = fan.itemsJson();
        String yaml = fan.yaml();
        JobSpec job = fan.spec();
        System.out.printf("%nPipeline run on moto: %,d-item fan-out, %d at once, %d run(s)%n", ITEMS, CONCURRENCY, RUNS);
        try (SfnClient sfn = StepFunctionsService.sfn(endpoint);
             SqsClient sqs = StepFunctionsService.sqs(endpoint);
             S3Client s3 = StepFunctionsService.s3(endpoint);
             EcsClient ecs = MotoCluster.client(endpoint)) {
            String input = JSON.createObjectNode().set("parameters", JSON.createObjectNode().put("ITEMS", itemsJson))
                    .toString();
            ProcessCpu motoCpu = ProcessCpu.moto();
            double motoBefore = motoCpu.seconds();
            long benchBefore = Measure.processCpuNanos();
            MotoMapCeiling.Result ceiling = MotoMapCeiling.measure(sfn, sqs, job, items, input, suffix);
            var ceilingCpu = new Cpu(ceiling.wholeSeconds(), motoCpu.seconds() - motoBefore, 0,
                    (Measure.processCpuNanos() - benchBefore) / 1e9);
            System.out.printf("  moto alone (the compiled state machine, dispatch answered at once by %d threads): %,d items"
                            + " in %.1f s = %.1f items/s (whole execution %.1f s, %d quiet spells woken, %d item requests"
                            + " delivered twice)%n", MotoMapCeiling.CONSUMERS, ceiling.items(), ceiling.fanOutSeconds(),
                    ceiling.itemsPerSecond(), ceiling.wholeSeconds(), ceiling.quietSpells(), ceiling.repeats());
            System.out.printf("    CPU: moto %.2f cores (%.0f CPU s, %.0f ms an item), benchmark %.2f cores%n",
                    ceilingCpu.moto() / ceilingCpu.wallSeconds(), ceilingCpu.moto(), ceilingCpu.moto() / ITEMS * 1e3,
                    ceilingCpu.benchmark() / ceilingCpu.wallSeconds());

            String bucket = "skiff-bench-" + suffix;
            s3.createBucket(r -> r.bucket(bucket));
            s3.putObject(r -> r.bucket(bucket).key("jobs/" + name + ".yaml"), RequestBody.fromString(yaml));
            try (var service = StepFunctionsService.start("pipeline-moto", endpoint, sqs, ecs, suffix,
                    "s3://" + bucket + "/jobs/", ServiceLaunches.LOG_FORMAT)) {
                String machine = StepFunctionsService.awaitStateMachine(sfn, "skiff-" + name);
                var memory = new MemorySampler(service.process());
                List<Figures> runs = new ArrayList<>();
                try (var player = new LaunchedTaskPlayer(new ServiceLaunches(service.log()), ecs,
                        service.cluster().name(), service.ecsEvents(ecs, sqs))) {
                    for (int r = 0; r < RUNS; r++) {
                        var serviceCpu = new ProcessCpu(service.process().pid(), "the service");
                        long began = System.nanoTime();
                        double[] before = {motoCpu.seconds(), serviceCpu.seconds(), Measure.processCpuNanos() / 1e9};
                        String runId = start(service.process(), name, "pipeline-moto-" + r);
                        String execution = machine.replace(":stateMachine:", ":execution:") + ":" + runId;
                        runs.add(await(service.process(), sfn, player, runId, execution));
                        Figures f = runs.get(r);
                        var cpu = new Cpu((System.nanoTime() - began) / 1e9, motoCpu.seconds() - before[0],
                                serviceCpu.seconds() - before[1], Measure.processCpuNanos() / 1e9 - before[2]);
                        System.out.printf("  run %d: %,d items in %.1f s = %.2f items/s; extract's end -> first item"
                                        + " launched %.0f ms, last item's end -> load launched %.0f ms%s%n", r + 1, ITEMS,
                                f.fanOutSeconds(), ITEMS / f.fanOutSeconds(), f.intoFanOut() * 1e3,
                                f.outOfFanOut() * 1e3, f.wakes() == 0 ? "" : " (items answer woken " + f.wakes() + "x)");
                        System.out.printf("    CPU: %s; moto %.0f ms an item%n", cpu.line(), cpu.moto() / ITEMS * 1e3);
                    }
                    if (player.errors() > 0) {
                        System.out.printf("  (%d failed attempts to play ECS, each tried again)%n", player.errors());
                    }
                } finally {
                    memory.stop();
                }
                report(runs, ceiling, new PrometheusText(service.process().get("/q/metrics")), memory,
                        service.cluster().tasksByStartedBy(ecs));
            }
        }
    }

    /** Starts a run of the job with its default parameters; returns its id. */
    private static String start(OrchestratorProcess service, String job, String key) throws Exception {
        HttpResponse<String> response = service.post("/jobs/" + job + "/runs", "{}", key);
        if (response.statusCode() != 201) {
            throw new IllegalStateException("POST /jobs/" + job + "/runs answered " + response.statusCode() + ": "
                    + response.body());
        }
        return JSON.readTree(response.body()).path("runId").asText();
    }

    /** Waits for the run to succeed (throws otherwise), and works out its figures from its tasks. */
    private static Figures await(OrchestratorProcess service, SfnClient sfn, LaunchedTaskPlayer player, String runId,
                                 String execution) throws Exception {
        Instant giveUp = Instant.now().plus(RUN_TIMEOUT);
        int wakes = 0;
        Instant lastWake = Instant.EPOCH;
        JsonNode run;
        while (!RunStatus.valueOf((run = JSON.readTree(service.get("/runs/" + runId))).path("status").asText()).isTerminal()) {
            if (Instant.now().isAfter(giveUp)) {
                throw new IllegalStateException("run " + runId + " did not end within " + RUN_TIMEOUT.toMinutes()
                        + " min: " + player.ofRun(runId).size() + " tasks played");
            }
            Thread.sleep(250);
            List<LaunchedTaskPlayer.Played> tasks = player.ofRun(runId);
            var extract = tasks.stream().filter(t -> t.launch().step().equals("extract")).findFirst();
            boolean noItemYet = tasks.stream().noneMatch(t -> t.launch().step().equals("transform"));
            if (extract.isPresent() && noItemYet && Instant.now().isAfter(extract.get().stoppedAt().plus(STALL))
                    && Instant.now().isAfter(lastWake.plus(STALL))) {
                wakeItemsRequest(sfn, execution);
                wakes++;
                lastWake = Instant.now();
            }
        }
        if (!run.path("status").asText().equals("SUCCEEDED")) {
            throw new IllegalStateException("run " + runId + " ended " + run.path("status").asText() + ": "
                    + run.path("error").asText() + " " + run.path("cause").asText());
        }
        List<LaunchedTaskPlayer.Played> tasks = player.ofRun(runId);
        List<LaunchedTaskPlayer.Played> transform = ofStep(tasks, "transform");
        if (transform.size() != ITEMS || ofStep(tasks, "extract").size() != 1 || ofStep(tasks, "load").size() != 1) {
            throw new IllegalStateException("run " + runId + " launched " + ofStep(tasks, "extract").size() + " extract, "
                    + transform.size() + " transform and " + ofStep(tasks, "load").size() + " load tasks; expected 1, "
                    + ITEMS + " and 1");
        }
        Instant extractEnd = ofStep(tasks, "extract").get(0).stoppedAt();
        Instant firstItem = transform.stream().map(t -> t.launch().at()).min(Comparator.naturalOrder()).orElseThrow();
        Instant lastItem = transform.stream().map(LaunchedTaskPlayer.Played::stoppedAt).max(Comparator.naturalOrder())
                .orElseThrow();
        Instant load = ofStep(tasks, "load").get(0).launch().at();
        return new Figures(seconds(firstItem, lastItem), seconds(extractEnd, firstItem), seconds(lastItem, load),
                transform.size(), wakes);
    }

    /**
     * Moto 5.2.5 misses an answer that comes before it waits for it, and the service answers an items request at once:
     * a heartbeat to the items request's token (read from the execution's history) wakes the wait, which then reads
     * the answer held.
     */
    private static void wakeItemsRequest(SfnClient sfn, String execution) throws Exception {
        for (HistoryEvent event : sfn.getExecutionHistoryPaginator(r -> r.executionArn(execution)).events()) {
            if (event.type() != HistoryEventType.TASK_SCHEDULED) {
                continue;
            }
            JsonNode body = JSON.readTree(event.taskScheduledEventDetails().parameters()).path("MessageBody");
            if (body.isTextual()) {
                body = JSON.readTree(body.asText());
            }
            if (body.path("kind").asText().equals("items")) {
                String token = body.path("taskToken").asText();
                try {
                    sfn.sendTaskHeartbeat(r -> r.taskToken(token));
                } catch (RuntimeException alreadyHeard) {
                    // the execution read the answer and moved on
                }
            }
        }
    }

    private static List<LaunchedTaskPlayer.Played> ofStep(List<LaunchedTaskPlayer.Played> tasks, String step) {
        return tasks.stream().filter(t -> t.launch().step().equals(step)).toList();
    }

    private static double seconds(Instant from, Instant to) {
        return Duration.between(from, to).toNanos() / 1e9;
    }

    private static void report(List<Figures> runs, MotoMapCeiling.Result ceiling, PrometheusText metrics,
                               MemorySampler memory, Map<String, Integer> tasks) {
        double itemsPerSecond = Stats.median(runs.stream().mapToDouble(f -> ITEMS / f.fanOutSeconds()).toArray());
        var handOvers = new Stats(runs.stream().flatMapToDouble(f -> java.util.stream.DoubleStream.of(f.intoFanOut(),
                f.outOfFanOut())).map(s -> s * 1e3).toArray());
        int taskCount = tasks.values().stream().mapToInt(Integer::intValue).sum();
        int expected = RUNS * (ITEMS + 2);
        System.out.printf("pipeline run on moto: %,d-item fan-out of a no-op command, %d at once, Step Functions mode"
                        + " (the packaged service, S3 registry, ECS played):%n", ITEMS, CONCURRENCY);
        System.out.printf("  items/s                     median %.2f over %d run(s) (first item's launch to last item's end)%n",
                itemsPerSecond, RUNS);
        System.out.printf("  items/s / moto's ceiling    %.2f (moto alone: %.1f items/s through the same state machine)%n",
                itemsPerSecond / ceiling.itemsPerSecond(), ceiling.itemsPerSecond());
        System.out.printf("  step's end -> next launch   p50 %.0f ms, p99 %.0f ms (over %d hand-overs)%n",
                handOvers.percentile(50), handOvers.percentile(99), 2 * runs.size());
        System.out.printf("  STOPPED event -> answered   %s%n", metrics.timer("skiff_sfn_task_events_seconds", "answered"));
        System.out.printf("  launch request -> launched  %s%n", metrics.timer("skiff_sfn_dispatch_seconds", "launched"));
        System.out.printf("  resident memory             %s%n", memory.summary());
        System.out.printf("  tasks                       %d tasks for %d startedBy in the cluster (expected %d, one each);"
                        + " %.0f launches, %.0f adopted, %.0f throttled%n", taskCount, tasks.size(), expected,
                metrics.sum("skiff_fargate_launches_total"), metrics.sum("skiff_fargate_adoptions_total"),
                metrics.sum("skiff_fargate_throttles_total"));
        if (taskCount != expected || tasks.size() != expected) {
            throw new IllegalStateException("tasks were duplicated or missing: " + taskCount + " tasks for " + tasks.size()
                    + " startedBy, expected " + expected + " of each");
        }
    }
}
