package dev.skiff.benchmarks;

import dev.skiff.jobs.JobSpec;
import dev.skiff.jobs.JobSpecs;
import dev.skiff.testing.EcsEvents;
import dev.skiff.testing.MotoServer;
import dev.skiff.workflows.CompileOptions;
import dev.skiff.workflows.WorkflowCompiler;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.StateMachineListItem;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Step Functions mode end to end: the packaged orchestrator as a child process on moto, 1,000 runs through its
 * API while the benchmark plays ECS (a STOPPED, exit 0 event for every task the service started). Moto alone
 * manages only a few StartExecution a second, so the run rate is printed as a share of moto's own StartExecution
 * rate, measured in the same run from as many threads as the service starts runs on. Also prints the service's
 * own settle times (from its Prometheus timers) and its resident memory.
 */
final class StepFunctionsBenchmark {

    private static final int RUNS = 1_000;
    private static final int CEILING_EXECUTIONS = 300;
    /** API clients; each request starts its run on a worker thread of the service, so also its starting threads. */
    private static final int CLIENTS = 8;
    private static final Duration TIMEOUT = Duration.ofMinutes(15);
    private static final String ROLE_ARN = "arn:aws:iam::123456789012:role/skiff-state-machines";
    private static final String INPUT = "{\"parameters\":{}}";
    private static final StaticCredentialsProvider CREDENTIALS =
            StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing"));

    private record Outcome(double seconds, double apiSeconds, int eventsSent, Map<String, Integer> apiErrors,
                           int playErrors) {
    }

    private StepFunctionsBenchmark() {
    }

    static void run() throws Exception {
        Path root = repositoryRoot();
        Path jar = root.resolve("orchestrator/service/target/quarkus-app/quarkus-run.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: run the benchmarks with -am, which packages the orchestrator");
        }
        Path target = Files.createDirectories(root.resolve("benchmarks/target"));
        MotoServer moto = MotoServer.shared();
        moto.enableStepFunctionsExecution();
        URI endpoint = moto.endpoint();
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String yaml = """
                name: sfn-bench-%s
                owner: bench
                image: example/noop:1
                command: ["true"]
                retries:
                  maxAttempts: 1
                """.formatted(suffix);
        JobSpec job = JobSpecs.parse("sfn-bench.yaml", yaml);
        try (SfnClient sfn = SfnClient.builder().endpointOverride(endpoint).region(MotoCluster.REGION)
                     .credentialsProvider(CREDENTIALS).build();
             SqsClient sqs = SqsClient.builder().endpointOverride(endpoint).region(MotoCluster.REGION)
                     .credentialsProvider(CREDENTIALS).build();
             EcsClient ecs = MotoCluster.client(endpoint)) {
            double ceiling = startExecutionCeiling(sfn, sqs, job, suffix);

            String dispatch = sqs.createQueue(r -> r.queueName("skiff-dispatch-" + suffix)).queueUrl();
            String taskEvents = sqs.createQueue(r -> r.queueName("skiff-task-events-" + suffix)).queueUrl();
            MotoCluster cluster = MotoCluster.create(endpoint, ecs);
            Path jobs = Files.createTempDirectory(target, "stepfunctions-jobs-");
            Files.writeString(jobs.resolve(job.name() + ".yaml"), yaml);
            Map<String, String> environment = Map.ofEntries(
                    Map.entry("SKIFF_ENGINE", "stepfunctions"),
                    Map.entry("SKIFF_LAUNCHER", "fargate"),
                    Map.entry("SKIFF_FARGATE_CLUSTER", cluster.name()),
                    Map.entry("SKIFF_FARGATE_SUBNETS", cluster.subnet()),
                    Map.entry("SKIFF_FARGATE_SECURITY_GROUPS", cluster.securityGroup()),
                    Map.entry("SKIFF_SFN_ROLE_ARN", ROLE_ARN),
                    Map.entry("SKIFF_SFN_TOKEN_KEYS", "benchmark-task-token-key-0123456789abcdef"),
                    Map.entry("SKIFF_SFN_DISPATCH_QUEUE_URL", dispatch),
                    Map.entry("SKIFF_SFN_TASK_EVENTS_QUEUE_URL", taskEvents),
                    // The benchmark plays ECS and sends each STOPPED event itself; a sweep would race it.
                    Map.entry("SKIFF_SFN_RECONCILE_INTERVAL", "15m"),
                    Map.entry("SKIFF_SFN_HEARTBEAT", "30m"), // at least two sweeps; below the job's timeout
                    Map.entry("SKIFF_AWS_ENDPOINT", endpoint.toString()),
                    Map.entry("SKIFF_AWS_REGION", MotoCluster.REGION.id()),
                    Map.entry("AWS_ACCESS_KEY_ID", "testing"),
                    Map.entry("AWS_SECRET_ACCESS_KEY", "testing"),
                    Map.entry("SKIFF_DATA_DIR", Files.createTempDirectory(target, "stepfunctions-data-").toString()),
                    Map.entry("SKIFF_JOBS_LOCATION", jobs.toString()));
            Path log = target.resolve("stepfunctions-service.log");
            OrchestratorProcess service = null;
            try {
                service = OrchestratorProcess.start(jar, environment, log);
                String machine = awaitStateMachine(sfn, "skiff-" + job.name());
                var memory = new MemorySampler(service);
                Outcome outcome;
                try {
                    outcome = fire(service, job.name(), sfn, machine, new EcsEvents(ecs, cluster.name(), sqs, taskEvents));
                } finally {
                    memory.stop();
                }
                report(outcome, ceiling, sfn, machine, service.get("/q/metrics"), memory, cluster.tasksByStartedBy(ecs));
            } finally {
                if (service != null) {
                    service.close();
                }
                System.out.printf("  service log                 %s%n", log);
            }
        }
    }

    /** StartExecution calls a second that moto manages alone, on a copy of the job's state machine that nobody serves. */
    private static double startExecutionCeiling(SfnClient sfn, SqsClient sqs, JobSpec job, String suffix)
            throws InterruptedException {
        String unread = sqs.createQueue(r -> r.queueName("skiff-unread-" + suffix)).queueUrl();
        String definition = WorkflowCompiler.compile(job, CompileOptions.defaults().withDispatchQueueUrl(unread));
        String machine = sfn.createStateMachine(r -> r.name("ceiling-" + suffix).definition(definition).roleArn(ROLE_ARN))
                .stateMachineArn();
        var failures = new ConcurrentHashMap<String, Integer>();
        ExecutorService threads = Executors.newFixedThreadPool(CLIENTS);
        long start = System.nanoTime();
        for (int i = 0; i < CEILING_EXECUTIONS; i++) {
            String name = "ceiling-" + i;
            threads.execute(() -> {
                try {
                    sfn.startExecution(r -> r.stateMachineArn(machine).name(name).input(INPUT));
                } catch (RuntimeException e) {
                    failures.merge(e.getClass().getSimpleName(), 1, Integer::sum);
                }
            });
        }
        threads.shutdown();
        if (!threads.awaitTermination(10, TimeUnit.MINUTES)) {
            throw new IllegalStateException("moto's StartExecution ceiling: 300 calls did not end within 10 minutes");
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        if (!failures.isEmpty()) {
            throw new IllegalStateException("moto's StartExecution ceiling: failed calls " + failures);
        }
        double rate = CEILING_EXECUTIONS / seconds;
        System.out.printf("%nStep Functions on moto alone: %d StartExecution in %.1f s = %.1f executions/s (%d threads)%n",
                CEILING_EXECUTIONS, seconds, rate, CLIENTS);
        return rate;
    }

    private static String awaitStateMachine(SfnClient sfn, String name) throws InterruptedException {
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < giveUp) {
            var found = sfn.listStateMachinesPaginator(r -> r.maxResults(1000)).stateMachines().stream()
                    .filter(m -> m.name().equals(name)).map(StateMachineListItem::stateMachineArn).findFirst();
            if (found.isPresent()) {
                return found.get();
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("the service did not create state machine " + name + " within 30 s");
    }

    /** Posts the runs from {@link #CLIENTS} threads while one thread plays ECS; returns once every run succeeded. */
    private static Outcome fire(OrchestratorProcess service, String job, SfnClient sfn, String machine, EcsEvents ecs)
            throws Exception {
        var apiErrors = new ConcurrentHashMap<String, Integer>();
        var eventsSent = new AtomicInteger();
        var playErrors = new AtomicInteger();
        var apiDone = new AtomicLong();
        var posted = new AtomicInteger();
        long start = System.nanoTime();
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        for (int i = 0; i < RUNS; i++) {
            String key = "sfn-bench-" + i;
            clients.execute(() -> {
                try {
                    HttpResponse<String> response = service.post("/jobs/" + job + "/runs", "{}", key);
                    if (response.statusCode() != 201) {
                        apiErrors.merge(response.statusCode() + " " + response.body(), 1, Integer::sum);
                    }
                } catch (Exception e) {
                    apiErrors.merge(e.toString(), 1, Integer::sum);
                }
                if (posted.incrementAndGet() == RUNS) {
                    apiDone.set(System.nanoTime());
                }
            });
        }
        clients.shutdown();
        ScheduledExecutorService player = Executors.newSingleThreadScheduledExecutor();
        player.scheduleWithFixedDelay(() -> {
            try {
                eventsSent.addAndGet(ecs.stopNewTasks(0).size());
            } catch (RuntimeException e) {
                if (playErrors.incrementAndGet() <= 3) {
                    System.out.println("  (playing ECS failed once: " + e + ")");
                }
            }
        }, 0, 250, TimeUnit.MILLISECONDS);
        try {
            long giveUp = start + TIMEOUT.toNanos();
            int succeeded = 0;
            while (succeeded < RUNS) {
                if (System.nanoTime() > giveUp) {
                    throw new IllegalStateException(String.format("only %d of %d runs succeeded within %d min"
                            + " (%d posted, API errors %s; RUNNING %d, FAILED %d; %d STOPPED events sent)", succeeded, RUNS,
                            TIMEOUT.toMinutes(), posted.get(), apiErrors, count(sfn, machine, ExecutionStatus.RUNNING),
                            count(sfn, machine, ExecutionStatus.FAILED), eventsSent.get()));
                }
                Thread.sleep(250);
                succeeded = count(sfn, machine, ExecutionStatus.SUCCEEDED);
            }
        } finally {
            player.shutdownNow();
            player.awaitTermination(30, TimeUnit.SECONDS);
            clients.shutdownNow();
        }
        long end = System.nanoTime();
        return new Outcome((end - start) / 1e9, (apiDone.get() - start) / 1e9, eventsSent.get(), apiErrors, playErrors.get());
    }

    private static int count(SfnClient sfn, String machine, ExecutionStatus status) {
        return (int) sfn.listExecutionsPaginator(r -> r.stateMachineArn(machine).statusFilter(status).maxResults(1000))
                .executions().stream().count();
    }

    private static void report(Outcome outcome, double ceiling, SfnClient sfn, String machine, String metrics,
                               MemorySampler memory, Map<String, Integer> tasks) {
        double rate = RUNS / outcome.seconds();
        int failed = count(sfn, machine, ExecutionStatus.FAILED);
        int timedOut = count(sfn, machine, ExecutionStatus.TIMED_OUT);
        int aborted = count(sfn, machine, ExecutionStatus.ABORTED);
        int taskCount = tasks.values().stream().mapToInt(Integer::intValue).sum();
        System.out.printf("Step Functions mode, %,d runs through the packaged service's API (%d clients) on moto,"
                + " ECS played by the benchmark:%n", RUNS, CLIENTS);
        System.out.printf("  all succeeded in            %.1f s = %.2f runs/s end to end (the API accepted them in %.1f s)%n",
                outcome.seconds(), rate, outcome.apiSeconds());
        System.out.printf("  runs/s / moto's ceiling     %.3f (moto alone: %.1f StartExecution/s from %d threads)%n",
                rate / ceiling, ceiling, CLIENTS);
        System.out.printf("  STOPPED event -> answered   %s%n", timer(metrics, "skiff_sfn_task_events_seconds", "answered"));
        System.out.printf("  launch request -> launched  %s%n", timer(metrics, "skiff_sfn_dispatch_seconds", "launched"));
        System.out.printf("  resident memory             peak VmHWM %.0f MB, max sampled VmRSS %.0f MB, final VmRSS %.0f MB%n",
                memory.peakHwmKb / 1024.0, memory.maxRssKb / 1024.0, memory.lastRssKb / 1024.0);
        System.out.printf("  failed runs                 %d (FAILED %d, TIMED_OUT %d, ABORTED %d)%s%n", failed + timedOut + aborted,
                failed, timedOut, aborted, outcome.apiErrors().isEmpty() ? "" : "; API errors " + outcome.apiErrors());
        System.out.printf("  launches vs tasks           %.0f launches (%.0f adopted, %.0f throttled), %d tasks for %d startedBy"
                        + " in the cluster, %d STOPPED events sent%s%n",
                sum(metrics, "skiff_fargate_launches_total"), sum(metrics, "skiff_fargate_adoptions_total"),
                sum(metrics, "skiff_fargate_throttles_total"), taskCount, tasks.size(), outcome.eventsSent(),
                outcome.playErrors() == 0 ? "" : " (" + outcome.playErrors() + " failed attempts to play ECS)");
        System.out.println("  Moto is the bottleneck: it runs each execution in Python threads of one process and manages"
                + " only the ceiling above, where AWS refills 300 StartExecution/s.");
        if (failed + timedOut + aborted > 0 || taskCount != RUNS || tasks.size() != RUNS) {
            throw new IllegalStateException("runs failed or tasks were duplicated: see the figures above");
        }
    }

    /** A Prometheus timer's median and 99th percentile (over its recent window), count and mean (over the whole run). */
    private static String timer(String metrics, String name, String outcome) {
        String label = "outcome=\"" + outcome + "\"";
        OptionalDouble p50 = sample(metrics, name, label, "quantile=\"0.5\"");
        OptionalDouble p99 = sample(metrics, name, label, "quantile=\"0.99\"");
        OptionalDouble count = sample(metrics, name + "_count", label);
        OptionalDouble total = sample(metrics, name + "_sum", label);
        if (p50.isEmpty() || p99.isEmpty() || count.isEmpty() || total.isEmpty()) {
            return "(no " + name + "{" + label + "} in /q/metrics: " + metrics.lines().filter(l -> l.startsWith(name))
                    .collect(Collectors.joining("; ")) + ")";
        }
        return String.format("p50 %.1f ms, p99 %.1f ms (count %.0f, mean %.1f ms)", p50.getAsDouble() * 1e3,
                p99.getAsDouble() * 1e3, count.getAsDouble(), total.getAsDouble() / count.getAsDouble() * 1e3);
    }

    /** The value of the first sample of {@code name} that has every label given. */
    private static OptionalDouble sample(String metrics, String name, String... labels) {
        return metrics.lines().filter(l -> l.startsWith(name + "{") && List.of(labels).stream().allMatch(l::contains))
                .mapToDouble(StepFunctionsBenchmark::value).findFirst();
    }

    private static double sum(String metrics, String name) {
        return metrics.lines().filter(l -> l.startsWith(name + "{") || l.startsWith(name + " "))
                .mapToDouble(StepFunctionsBenchmark::value).sum();
    }

    private static double value(String line) {
        return Double.parseDouble(line.substring(line.lastIndexOf('}') + 1).trim().split("\\s+")[0]);
    }

    /** The service's resident memory, read from /proc every second. */
    private static final class MemorySampler {
        private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        private final OrchestratorProcess service;
        private volatile long maxRssKb;
        private volatile long lastRssKb;
        private volatile long peakHwmKb;

        MemorySampler(OrchestratorProcess service) {
            this.service = service;
            timer.scheduleAtFixedRate(this::sample, 0, 1, TimeUnit.SECONDS);
        }

        private void sample() {
            long rss = service.statusKb("VmRSS");
            long hwm = service.statusKb("VmHWM");
            if (rss >= 0) {
                lastRssKb = rss;
                maxRssKb = Math.max(maxRssKb, rss);
            }
            peakHwmKb = Math.max(peakHwmKb, hwm);
        }

        void stop() throws InterruptedException {
            timer.shutdown();
            timer.awaitTermination(5, TimeUnit.SECONDS);
            sample();
        }
    }

    /** The directory holding the parent pom, whether Maven runs us from the module or the repository root. */
    private static Path repositoryRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("mvnw"))) {
                return dir;
            }
        }
        throw new IllegalStateException("cannot find the repository (mvnw) from " + Path.of("").toAbsolutePath());
    }
}
