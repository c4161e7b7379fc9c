package dev.skiff.benchmarks;

import dev.skiff.jobs.Capacity;
import dev.skiff.jobs.JobSpec;
import dev.skiff.jobs.JobSpecs;
import dev.skiff.orchestrator.adapter.ecs.FargateMetrics;
import dev.skiff.orchestrator.adapter.ecs.FargateOptions;
import dev.skiff.orchestrator.adapter.ecs.FargateTaskLauncher;
import dev.skiff.orchestrator.port.LaunchFailedException;
import dev.skiff.orchestrator.port.TaskRequest;
import dev.skiff.testing.MotoServer;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.services.ecs.EcsClient;

/**
 * The Fargate launcher against ECS's RunTask limit: moto behind {@link ThrottlingProxy}, which admits 20
 * RunTask calls a second (burst 20) and throttles the rest. 2,000 launches are queued to 64 threads, as an
 * engine under load would call the launcher. Prints the achieved RunTask rate as a share of what was
 * possible (the limit, or moto's own rate when moto is slower), throttling errors that reached a run, and
 * duplicate tasks (tasks per startedBy, from moto and from the proxy's log of RunTask answers).
 */
final class FargateBenchmark {

    private static final int LAUNCHES = 2_000;
    private static final int UNTHROTTLED_LAUNCHES = 300;
    private static final int THREADS = 64;
    private static final double LIMIT = 20;
    private static final int BURST = 20;
    /** Longer than the benchmark: the launcher must not spend calls on DescribeTasks meanwhile. */
    private static final Duration NO_POLLING = Duration.ofHours(1);

    private record Outcome(int launched, int throttlingFailures, Map<String, Integer> otherFailures, double seconds) {
    }

    private FargateBenchmark() {
    }

    static void run() throws Exception {
        URI moto = MotoServer.shared().endpoint();
        JobSpec job = JobSpecs.parse("fargate-bench.yaml", """
                name: fargate-bench
                owner: bench
                image: example/noop:1
                command: ["true"]
                capacity: spot-first
                """);
        try (EcsClient direct = MotoCluster.client(moto)) {
            // 1. moto alone, with a limiter that never waits
            MotoCluster unthrottledCluster = MotoCluster.create(moto, direct);
            Outcome alone;
            try (EcsClient ecs = MotoCluster.client(moto);
                 var launcher = FargateTaskLauncher.start(ecs, options(unthrottledCluster).withRunTaskLimit(10_000, 10_000),
                         FargateMetrics.NONE)) {
                alone = launchAll(launcher, job, "moto", UNTHROTTLED_LAUNCHES);
            }
            double motoRate = alone.launched() / alone.seconds();
            System.out.printf("%nFargate launcher, moto alone (no limit): %d RunTask in %.1f s = %.1f RunTask/s (%d threads)%n",
                    alone.launched(), alone.seconds(), motoRate, THREADS);

            // 2. through the proxy that enforces ECS's RunTask limit
            MotoCluster cluster = MotoCluster.create(moto, direct);
            var throttlesSeen = new AtomicInteger();
            FargateMetrics metrics = new FargateMetrics() {
                @Override
                public void throttled() {
                    throttlesSeen.incrementAndGet();
                }
            };
            Outcome limited;
            ThrottlingProxy proxy = new ThrottlingProxy(moto, LIMIT, BURST);
            try (proxy; EcsClient ecs = MotoCluster.client(proxy.endpoint());
                 var launcher = FargateTaskLauncher.start(ecs, options(cluster), metrics)) {
                limited = launchAll(launcher, job, "bench", LAUNCHES);
            }
            report(limited, motoRate, proxy, throttlesSeen.get(), cluster.tasksByStartedBy(direct));
        }
    }

    private static FargateOptions options(MotoCluster cluster) {
        return FargateOptions.of(cluster.name(), List.of(cluster.subnet()), MotoCluster.REGION.id())
                .withRunTaskLimit(LIMIT, BURST).withPollInterval(NO_POLLING);
    }

    private static Outcome launchAll(FargateTaskLauncher launcher, JobSpec job, String prefix, int count)
            throws InterruptedException {
        var launched = new AtomicInteger();
        var throttling = new AtomicInteger();
        Map<String, Integer> others = new ConcurrentHashMap<>();
        ExecutorService threads = Executors.newFixedThreadPool(THREADS);
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            var request = new TaskRequest(prefix + "-" + i, job, "main", 1, job.commandLine(), Map.of(),
                    job.timeout(), Capacity.SPOT_FIRST);
            threads.execute(() -> {
                try {
                    launcher.launch(request, end -> { });
                    launched.incrementAndGet();
                } catch (LaunchFailedException e) {
                    String why = String.valueOf(e.outcome());
                    if (why.contains("rate limit") || why.contains("Throttl") || why.contains("Rate exceeded")) {
                        throttling.incrementAndGet();
                    } else {
                        others.merge(why, 1, Integer::sum);
                    }
                } catch (RuntimeException e) {
                    others.merge(e.toString(), 1, Integer::sum);
                }
            });
        }
        threads.shutdown();
        if (!threads.awaitTermination(10, TimeUnit.MINUTES)) {
            throw new IllegalStateException("launches did not finish within 10 minutes");
        }
        return new Outcome(launched.get(), throttling.get(), others, (System.nanoTime() - start) / 1e9);
    }

    private static void report(Outcome limited, double motoRate, ThrottlingProxy proxy, int throttlesSeen,
                               Map<String, Integer> tasks) {
        double achieved = limited.launched() / limited.seconds();
        double possible = Math.min(LIMIT, motoRate);
        // The first BURST calls go at once; the rest at the limit at best.
        double best = limited.launched() / (Math.max(0, limited.launched() - BURST) / possible);
        int duplicates = tasks.values().stream().mapToInt(n -> Math.max(0, n - 1)).sum();
        int proxyDuplicates = proxy.tasksByStartedBy.values().stream().mapToInt(s -> Math.max(0, s.size() - 1)).sum();
        int proxyTasks = proxy.tasksByStartedBy.values().stream().mapToInt(java.util.Set::size).sum();
        System.out.printf("Fargate launcher through a proxy admitting %.0f RunTask/s (burst %d), %d launches on %d threads:%n",
                LIMIT, BURST, LAUNCHES, THREADS);
        System.out.printf("  launched                  %d in %.1f s = %.2f RunTask/s%n", limited.launched(), limited.seconds(),
                achieved);
        System.out.printf("  rate / limit              %.3f (limit %.0f/s%s; best possible with the burst %.3f)%n",
                achieved / possible, possible, motoRate < LIMIT ? ", moto's own rate: moto is slower than the limit" : "",
                best / possible);
        System.out.printf("  throttled by the proxy    %d calls (launcher saw %d, each retried after halving its rate)%n",
                proxy.throttled.get(), throttlesSeen);
        System.out.printf("  throttling errors in runs %d%n", limited.throttlingFailures());
        System.out.printf("  other launch failures     %d %s%n", limited.otherFailures().values().stream().mapToInt(i -> i).sum(),
                limited.otherFailures().isEmpty() ? "" : limited.otherFailures());
        System.out.printf("  duplicate tasks           %d (moto: %d tasks for %d startedBy; proxy log: %d tasks, %d duplicates)%n",
                duplicates, tasks.values().stream().mapToInt(i -> i).sum(), tasks.size(), proxyTasks, proxyDuplicates);
    }
}
