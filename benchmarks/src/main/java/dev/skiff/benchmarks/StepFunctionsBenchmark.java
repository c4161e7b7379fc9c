package dev.skiff.benchmarks;

import static dev.skiff.benchmarks.StepFunctionsService.count;

import dev.skiff.jobs.JobSpec;
import dev.skiff.jobs.JobSpecs;
import dev.skiff.testing.EcsEvents;
import dev.skiff.testing.MotoServer;
import dev.skiff.workflows.CompileOptions;
import dev.skiff.workflows.WorkflowCompiler;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
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
    private static final String INPUT = "{\"parameters\":{}}";

    private record Outcome(double seconds, double apiSeconds, int eventsSent, Map<String, Integer> apiErrors,
                           int playErrors) {
    }

    private StepFunctionsBenchmark() {
    }

    static void run() throws Exception {
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
        try (SfnClient sfn = StepFunctionsService.sfn(endpoint);
             SqsClient sqs = StepFunctionsService.sqs(endpoint);
             EcsClient ecs = MotoCluster.client(endpoint)) {
            double ceiling = startExecutionCeiling(sfn, sqs, job, suffix);

            var jobs = Files.createTempDirectory(StepFunctionsService.target(), "stepfunctions-jobs-");
            Files.writeString(jobs.resolve(job.name() + ".yaml"), yaml);
            try (var service = StepFunctionsService.start("stepfunctions", endpoint, sqs, ecs, suffix, jobs.toString(),
                    Map.of())) {
                String machine = StepFunctionsService.awaitStateMachine(sfn, "skiff-" + job.name());
                var memory = new MemorySampler(service.process());
                Outcome outcome;
                try {
                    outcome = fire(service.process(), job.name(), sfn, machine, service.ecsEvents(ecs, sqs));
                } finally {
                    memory.stop();
                }
                report(outcome, ceiling, sfn, machine, new PrometheusText(service.process().get("/q/metrics")), memory,
                        service.cluster().tasksByStartedBy(ecs));
            }
        }
    }

    /** StartExecution calls a second that moto manages alone, on a copy of the job's state machine that nobody serves. */
    private static double startExecutionCeiling(SfnClient sfn, SqsClient sqs, JobSpec job, String suffix)
            throws InterruptedException {
        String unread = sqs.createQueue(r -> r.queueName("skiff-unread-" + suffix)).queueUrl();
        String definition = WorkflowCompiler.compile(job, CompileOptions.defaults().withDispatchQueueUrl(unread));
        String machine = sfn.createStateMachine(r -> r.name("ceiling-" + suffix).definition(definition)
                .roleArn(StepFunctionsService.ROLE_ARN)).stateMachineArn();
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

    private static void report(Outcome outcome, double ceiling, SfnClient sfn, String machine, PrometheusText metrics,
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
        System.out.printf("  STOPPED event -> answered   %s%n", metrics.timer("skiff_sfn_task_events_seconds", "answered"));
        System.out.printf("  launch request -> launched  %s%n", metrics.timer("skiff_sfn_dispatch_seconds", "launched"));
        System.out.printf("  resident memory             %s%n", memory.summary());
        System.out.printf("  failed runs                 %d (FAILED %d, TIMED_OUT %d, ABORTED %d)%s%n", failed + timedOut + aborted,
                failed, timedOut, aborted, outcome.apiErrors().isEmpty() ? "" : "; API errors " + outcome.apiErrors());
        System.out.printf("  launches vs tasks           %.0f launches (%.0f adopted, %.0f throttled), %d tasks for %d startedBy"
                        + " in the cluster, %d STOPPED events sent%s%n",
                metrics.sum("skiff_fargate_launches_total"), metrics.sum("skiff_fargate_adoptions_total"),
                metrics.sum("skiff_fargate_throttles_total"), taskCount, tasks.size(), outcome.eventsSent(),
                outcome.playErrors() == 0 ? "" : " (" + outcome.playErrors() + " failed attempts to play ECS)");
        System.out.println("  Moto is the bottleneck: it runs each execution in Python threads of one process and manages"
                + " only the ceiling above, where AWS refills 300 StartExecution/s.");
        if (failed + timedOut + aborted > 0 || taskCount != RUNS || tasks.size() != RUNS) {
            throw new IllegalStateException("runs failed or tasks were duplicated: see the figures above");
        }
    }
}
