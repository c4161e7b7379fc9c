package dev.skiff.benchmarks;

import dev.skiff.testing.MotoServer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Many job specs on one packaged service (issue 16): N generated specs (60% on a cron schedule, 30% on an event
 * pattern, 10% following a scheduled job) in a directory registry (embedded mode) and in an S3 registry on moto
 * (Step Functions mode). Prints the time from the process's start to UP, the idle CPU over
 * {@code -Dbench.scaleIdleSeconds} as a share of one core, the RSS, and the one-spec change: from the edit (a file
 * written, an object put) to {@code GET /jobs/{name}} showing it, and the CPU it cost the service, which is the CPU
 * of the change rounds less that of control rounds making the same GET requests with no change, and the CPU of the
 * reload thread alone. The changes come after {@value #WARM_UP} uncounted ones, each at a random moment. The directory
 * registry runs the service as shipped: {@code ./skiff up} (a JDK 25 with its AOT cache when one is found, the options
 * of skiff.jvm-options), with {@code -Dbench.scaleJvmOptions} added (the pom's default: a heap limit for 100,000
 * specs); then starts it again on its spec cache. Each start prints the CPU-seconds of each of its threads by UP.
 *
 * <p>{@code ./mvnw -B -Pbench -pl benchmarks -am verify -DskipTests -Dbench=scale -Dbench.scaleJobs=1000,100000
 * -Dbench.scaleS3Jobs=1000,100000 -Dbench.scaleS3Engines=stepfunctions,embedded}
 */
final class ScaleBenchmark {

    private static final int CHANGES = 20;
    /** Clients putting the generated specs into moto's S3 at once. */
    private static final int SEEDERS = 16;
    private static final int FIRST_HOUR = java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC).getHour() + 3;
    private static final int WARM_UP = 10;
    private static final String RELOAD_THREAD = "skiff-job-reload";
    /** StateMachineWarmer's thread: it creates the machines jobs lack in the background, at a bounded rate. */
    private static final String WARMER_THREAD = "skiff-state-machine-warmer";
    private static final Duration READY_WITHIN = Duration.ofMinutes(10);
    private static final Duration POLL = Duration.ofMillis(50);
    private static final Duration SETTLE = Duration.ofSeconds(10);
    private static final Duration CHANGE_TIMEOUT = Duration.ofSeconds(30);
    private static final String COMMAND = "./mvnw -B -Pbench -pl benchmarks -am verify -DskipTests -Dbench=scale";
    /** skiff.jobs.full-list-interval as shipped (application.properties): what the idle figure is given at. */
    private static final Duration SHIPPED_FULL_LIST = Duration.ofMinutes(5);
    /** What the S3 registry logs after each full listing, with the process's CPU meanwhile. */
    private static final java.util.regex.Pattern LISTED = java.util.regex.Pattern.compile(
            "listed the job registry .* the process used (\\d+) ms of CPU meanwhile");

    /** Where a spec lives and how to write it again: a file, an S3 object. */
    private interface Registry {
        void write(String name, String text) throws Exception;
    }

    private ScaleBenchmark() {
    }

    static void run(Path root) throws Exception {
        int idleSeconds = Integer.getInteger("skiff.bench.scale-idle-seconds", 60);
        System.out.printf("%nscale: the packaged service on N generated specs; machine load before: %s%n", load());
        for (int jobs : counts("skiff.bench.scale-jobs", "1000,100000")) {
            directory(root, jobs, idleSeconds);
        }
        List<String> engines = List.of(System.getProperty("skiff.bench.scale-s3-engines", "stepfunctions").split(","));
        for (int jobs : counts("skiff.bench.scale-s3-jobs", "1000")) {
            for (String engine : engines) {
                s3(jobs, engine.trim(), idleSeconds);
            }
        }
    }

    /** The spec counts a property lists; 0 or nothing runs none. */
    private static List<Integer> counts(String property, String fallback) {
        return java.util.Arrays.stream(System.getProperty(property, fallback).split(",")).map(String::trim)
                .filter(n -> !n.isEmpty()).map(Integer::parseInt).filter(n -> n > 0).toList();
    }

    private static void directory(Path root, int jobs, int idleSeconds) throws Exception {
        Path target = Files.createDirectories(root.resolve("benchmarks/target"));
        Path dir = Files.createTempDirectory(target, "scale-jobs-");
        for (int i = 0; i < jobs; i++) {
            Files.writeString(dir.resolve(name(i) + ".yaml"), spec(i, 0));
        }
        List<String> skiffUp = List.of(root.resolve("skiff").toString(), "up");
        var environment = new java.util.HashMap<>(shippedOptions());
        environment.put("SKIFF_JOBS_LOCATION", dir.toString());
        environment.put("SKIFF_DATA_DIR", Files.createTempDirectory(target, "scale-data-").toString());
        warmUp(skiffUp, target);
        Path log = target.resolve("scale-" + jobs + "-service.log");
        long started = System.nanoTime();
        try (var service = OrchestratorProcess.start(skiffUp, environment, log, READY_WITHIN)) {
            double up = (System.nanoTime() - started) / 1e9;
            System.out.printf("%n  first start (every spec checked): %s%n", profile(service));
            measure("directory registry (embedded mode), " + jobs + " specs", service, up, idleSeconds,
                    (name, text) -> Files.writeString(dir.resolve(name + ".yaml"), text, StandardCharsets.UTF_8),
                    "-Dbench.scaleJobs=" + jobs);
        } finally {
            System.out.printf("  service log %s%n", log);
        }
        restart(skiffUp, environment, target.resolve("scale-" + jobs + "-restart.log"));
    }

    /**
     * One unmeasured start of {@code ./skiff up} on no specs: it writes ./skiff's AOT cache (or class-data archive) if
     * the build is newer than it, which would otherwise be timed as part of the first measured start.
     */
    private static void warmUp(List<String> skiffUp, Path target) throws Exception {
        var environment = new java.util.HashMap<>(shippedOptions());
        environment.put("SKIFF_JOBS_LOCATION", Files.createTempDirectory(target, "scale-empty-").toString());
        environment.put("SKIFF_DATA_DIR", Files.createTempDirectory(target, "scale-data-").toString());
        try (var service = OrchestratorProcess.start(skiffUp, environment, target.resolve("scale-warm-up.log"),
                java.time.Duration.ofMinutes(15))) {
            service.pid();
        }
    }

    /**
     * Starts the service again on the same directory and data directory, as after a restart: the specs checked by
     * the first start are in its spec cache (skiff.jobs.spec-cache), written at its shutdown.
     */
    private static void restart(List<String> skiffUp, Map<String, String> environment, Path log) throws Exception {
        long started = System.nanoTime();
        try (var service = OrchestratorProcess.start(skiffUp, environment, log, READY_WITHIN)) {
            double up = (System.nanoTime() - started) / 1e9;
            double cpu = new ProcessCpu(service.pid(), "skiff").seconds();
            System.out.printf("  restart to UP               %.1f s, %.1f s of CPU (all threads) by then, RSS %.0f MB: the"
                    + " same data directory, its spec cache written by the first start%n", up, cpu,
                    service.statusKb("VmRSS") / 1024.0);
            System.out.printf("  restart, CPU by thread      %s%n", profile(service));
            System.out.printf("  machine load after restart  %s%n", load());
        } finally {
            System.out.printf("  restart log %s%n", log);
        }
    }

    /** The CPU-seconds each of the service's threads used so far, the busiest first (main: the JVM's main thread). */
    private static String profile(OrchestratorProcess service) {
        return new ProcessCpu(service.pid(), "skiff").secondsByThread().entrySet().stream()
                .filter(e -> e.getValue() >= 0.05)
                .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .map(e -> String.format("%s %.2f", e.getKey().equals("java") ? "main" : e.getKey(), e.getValue()))
                .collect(java.util.stream.Collectors.joining(", ")) + " s; heap limit " + heapLimit() + "; JVM "
                + jvmOf(service.pid());
    }

    /** The last -Xmx the service's JVM is given: skiff.jvm-options', or -Dbench.scaleJvmOptions' after it. */
    private static String heapLimit() {
        String limit = "none";
        try {
            List<String> options = new ArrayList<>(Files.readAllLines(StepFunctionsService.repositoryRoot()
                    .resolve("orchestrator/service/src/main/jvm/skiff.jvm-options")));
            options.addAll(List.of(System.getProperty("skiff.bench.scale-jvm-options", "").trim().split("\\s+")));
            for (String option : options) {
                if (option.trim().startsWith("-Xmx")) {
                    limit = option.trim();
                }
            }
        } catch (java.io.IOException e) {
            limit = "unknown (" + e.getMessage() + ")";
        }
        return limit;
    }

    /** The java executable and the options process {@code pid} runs with (./skiff execs the Java it chose). */
    private static String jvmOf(long pid) {
        try {
            String executable = Path.of("/proc", Long.toString(pid), "exe").toRealPath().toString();
            String[] arguments = Files.readString(Path.of("/proc", Long.toString(pid), "cmdline")).split("\0");
            return executable + " " + String.join(" ", java.util.Arrays.asList(arguments).subList(1, arguments.length));
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }

    /**
     * The S3 registry on moto, read by the service in Step Functions mode ({@code stepfunctions}: state machines are
     * made when a run starts, or in the background at {@code skiff.sfn.register-rate}) or by the embedded engine
     * ({@code embedded}: S3 for the specs only), to tell the registry's cost from Step Functions mode's.
     */
    private static void s3(int jobs, String engine, int idleSeconds) throws Exception {
        URI endpoint = motoEndpoint();
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String kept = System.getProperty("skiff.bench.scale-s3-bucket", "").trim();
        String bucket = kept.isEmpty() ? "skiff-scale-" + suffix : kept + "-" + jobs;
        try (S3Client s3 = StepFunctionsService.s3(endpoint);
             SqsClient sqs = StepFunctionsService.sqs(endpoint);
             EcsClient ecs = MotoCluster.client(endpoint)) {
            Registry seeder = (name, text) -> s3.putObject(r -> r.bucket(bucket).key("jobs/" + name + ".yaml"),
                    RequestBody.fromString(text, StandardCharsets.UTF_8));
            // A change as another replica's PUT /jobs/{name} makes it: the object, then its change marker.
            Registry registry = (name, text) -> {
                seeder.write(name, text);
                String marker = String.format("jobs/.skiff/changes/%015d-%s-%s.yaml", System.currentTimeMillis(),
                        UUID.randomUUID().toString().substring(0, 8), name);
                s3.putObject(r -> r.bucket(bucket).key(marker), RequestBody.empty());
            };
            long seeding = System.nanoTime();
            if (KeptBucket.reusable(s3, bucket, jobs)) {
                KeptBucket.reset(s3, endpoint, bucket, jobs, seeder::write);
                System.out.printf("%n  kept bucket %s (-Dbench.scaleS3Bucket): its %d specs seeded by an earlier run, the"
                        + " specs changed since put back and the scale jobs' state machines deleted (%.1f s); its registry"
                        + " snapshot kept, so the first start is one from that snapshot%n", bucket, jobs, (System.nanoTime() - seeding) / 1e9);
            } else {
                s3.createBucket(r -> r.bucket(bucket));
                seed(seeder, jobs);
                KeptBucket.markSeeded(s3, bucket, jobs);
                System.out.printf("%n  seeding %d objects into moto's S3 (%d clients): %.1f s%n", jobs, SEEDERS,
                        (System.nanoTime() - seeding) / 1e9);
            }
            String location = "s3://" + bucket + "/jobs/";
            // A first start reads every object: moto serves some 100 GetObject a second on this machine.
            Duration readyWithin = READY_WITHIN.plusSeconds(jobs / 40);
            String what = "S3 registry on moto, " + jobs + " specs, " + engine + " engine; each change put as another"
                    + " replica's PUT /jobs/{name} puts it (the object, then its change marker)";
            int fullListSeconds = Integer.getInteger("skiff.bench.scale-full-list-seconds", 60);
            String arguments = "-Dbench.scaleJobs=0 -Dbench.scaleS3Jobs=" + jobs + " -Dbench.scaleS3Engines=" + engine
                    + (kept.isEmpty() ? "" : " -Dbench.motoEndpoint=" + endpoint + " -Dbench.scaleS3Bucket=" + kept)
                    + (engine.equals("stepfunctions") ? " -Dbench.scaleFullListSeconds=" + fullListSeconds : "");
            long started = System.nanoTime();
            if (engine.equals("stepfunctions")) {
                // The idle window holds full listings (SHIPPED_FULL_LIST apart as shipped): measure() takes their CPU
                // out and adds it back at the shipped interval.
                Map<String, String> listing = Map.of("SKIFF_JOBS_FULL_LIST_INTERVAL", fullListSeconds + "s");
                try (var service = StepFunctionsService.start("scale-s3-" + jobs, endpoint, sqs, ecs, suffix, location,
                        listing, asContainerRunsIt(), readyWithin)) {
                    double up = (System.nanoTime() - started) / 1e9;
                    System.out.printf("%n  first start, CPU by thread  %s%n", profile(service.process()));
                    measure(what + "; FIRST DEPLOY: no job had a state machine, so the idle figure holds the warmer's"
                                    + " catch-up (hours at 100,000)", service.process(), up, idleSeconds, registry, arguments,
                            StepFunctionsService.target().resolve("scale-s3-" + jobs + "-service.log"));
                }
                registryLines(StepFunctionsService.target().resolve("scale-s3-" + jobs + "-service.log"));
                // The steady state: a deployment whose warmer caught up has every job's machine.
                long making = System.nanoTime();
                int made = ScaleMachines.makeMissing(endpoint, jobs);
                System.out.printf("%n  state machines              %d made by the benchmark (%.1f s), those the first start's"
                        + " warmer had not made yet: every job has one, as once a deployment's warmer caught up%n", made,
                        (System.nanoTime() - making) / 1e9);
                // A restart (a new task, no disk of the old one): the first start left the registry snapshot in the
                // bucket, and the changes made since are found by the listing's ETags.
                long restarted = System.nanoTime();
                try (var service = StepFunctionsService.start("scale-s3-" + jobs + "-restart", endpoint, sqs, ecs, suffix,
                        location, listing, asContainerRunsIt(), readyWithin)) {
                    double up = (System.nanoTime() - restarted) / 1e9;
                    System.out.printf("%n  restart, CPU by thread      %s%n", profile(service.process()));
                    measure(what + "; RESTARTED on the same bucket, a new process with an empty data directory;"
                                    + " STEADY STATE: every job has its state machine", service.process(), up, idleSeconds,
                            registry, arguments,
                            StepFunctionsService.target().resolve("scale-s3-" + jobs + "-restart-service.log"));
                }
                registryLines(StepFunctionsService.target().resolve("scale-s3-" + jobs + "-restart-service.log"));
            } else if (engine.equals("embedded")) {
                Path target = StepFunctionsService.target();
                Path log = target.resolve("scale-s3-embedded-" + jobs + "-service.log");
                var environment = new java.util.HashMap<>(jvmOptions());
                environment.putAll(Map.of("SKIFF_JOBS_LOCATION", location,
                        "SKIFF_DATA_DIR", Files.createTempDirectory(target, "scale-data-").toString(),
                        "SKIFF_AWS_ENDPOINT", endpoint.toString(), "SKIFF_AWS_REGION", MotoCluster.REGION.id(),
                        "AWS_ACCESS_KEY_ID", "testing", "AWS_SECRET_ACCESS_KEY", "testing"));
                try (var service = OrchestratorProcess.start(StepFunctionsService.jar(), environment, log, readyWithin)) {
                    measure(what, service, (System.nanoTime() - started) / 1e9, idleSeconds, registry, arguments);
                } finally {
                    System.out.printf("  service log %s%n", log);
                }
            } else {
                throw new IllegalArgumentException("-Dbench.scaleS3Engines: " + engine + " is neither stepfunctions nor embedded");
            }
        }
    }

    /**
     * Moto's endpoint: {@code -Dbench.motoEndpoint} (a moto_server left running, so that a kept bucket outlives the
     * benchmark's JVM), else the server this JVM starts.
     */
    private static URI motoEndpoint() {
        String given = System.getProperty("skiff.bench.moto-endpoint", "").trim();
        return given.isEmpty() ? MotoServer.shared().endpoint() : URI.create(given);
    }

    /**
     * Waits until a service that published its registry's snapshot at start has listed the bucket (its log says so),
     * and prints how long after UP: the idle window that follows is the registry's steady state, not its one listing
     * after a start. A start that listed first is through at once.
     */
    private static void awaitListed(Path log) throws Exception {
        long from = System.nanoTime();
        while (true) {
            String text = Files.readString(log, StandardCharsets.ISO_8859_1);
            if (!text.contains("from its snapshot") || text.contains("listed the job registry")) {
                break;
            }
            if (System.nanoTime() - from > READY_WITHIN.toNanos()) {
                throw new IllegalStateException("the registry was not listed within " + READY_WITHIN + ": " + log);
            }
            Thread.sleep(200);
        }
        System.out.printf("  registry listed             %.1f s after UP (a start from the registry's snapshot lists"
                + " the bucket in the background; schedules wait for it)%n", (System.nanoTime() - from) / 1e9);
    }

    /**
     * What the service logged of reading its S3 registry: from a snapshot or by listing, how long each took, when the
     * schedules started, the full listings after.
     */
    private static void registryLines(Path log) throws java.io.IOException {
        try (var lines = Files.lines(log, StandardCharsets.ISO_8859_1)) { // never fails on a stray byte
            lines.filter(line -> line.contains("read the job registry") || line.contains("listed the job registry")
                            || line.contains("schedules running"))
                    .forEach(line -> System.out.printf("  service log: %s%n", line.length() > 400 ? line.substring(0, 400) : line));
        }
    }

    private static void seed(Registry registry, int jobs) throws Exception {
        ExecutorService clients = Executors.newFixedThreadPool(SEEDERS);
        try {
            List<Future<?>> puts = new ArrayList<>();
            for (int i = 0; i < jobs; i++) {
                int index = i;
                puts.add(clients.submit(() -> {
                    registry.write(name(index), spec(index, 0));
                    return null;
                }));
            }
            for (Future<?> put : puts) {
                put.get();
            }
        } finally {
            clients.shutdown();
        }
    }

    private static void measure(String what, OrchestratorProcess service, double up, int idleSeconds, Registry registry,
                                String arguments) throws Exception {
        measure(what, service, up, idleSeconds, registry, arguments, null);
    }

    /** @param registryLog the service's log, to wait for its S3 registry's listing after UP; null for none */
    private static void measure(String what, OrchestratorProcess service, double up, int idleSeconds, Registry registry,
                                String arguments, Path registryLog) throws Exception {
        var memory = new MemorySampler(service);
        var cpu = new ProcessCpu(service.pid(), "skiff");
        double cpuToUp = cpu.seconds();
        if (registryLog != null) {
            awaitListed(registryLog);
        }
        Duration settle = Duration.ofSeconds(Integer.getInteger("skiff.bench.scale-settle-seconds", (int) SETTLE.toSeconds()));
        Thread.sleep(settle.toMillis());
        double idleFrom = cpu.seconds();
        double warmerFrom = cpu.threadSeconds(WARMER_THREAD);
        double reloadIdleFrom = cpu.threadSeconds(RELOAD_THREAD);
        Map<String, Double> threadsFrom = cpu.secondsByThread();
        List<Long> listingsFrom = registryLog == null ? List.of() : listingCpuMs(registryLog);
        long idleStart = System.nanoTime();
        // Halves of the window apart: if the second is much lower, the JIT was still compiling the periodic work.
        Thread.sleep(idleSeconds * 500L);
        double idleHalf = cpu.seconds();
        double firstHalfWall = (System.nanoTime() - idleStart) / 1e9;
        Thread.sleep(idleSeconds * 500L);
        double idleWall = (System.nanoTime() - idleStart) / 1e9;
        String busiest = busiestThreads(threadsFrom, cpu.secondsByThread(), idleWall);
        double idleEnd = cpu.seconds();
        List<Long> listingsTo = registryLog == null ? List.of() : listingCpuMs(registryLog);
        double idle = (idleEnd - idleFrom) / idleWall;
        double firstHalf = (idleHalf - idleFrom) / firstHalfWall;
        double secondHalf = (idleEnd - idleHalf) / (idleWall - firstHalfWall);
        double warmer = (cpu.threadSeconds(WARMER_THREAD) - warmerFrom) / idleWall;
        // The reload thread polls while nothing changes (the S3 registry lists its change markers every interval):
        // its idle rate, taken out of the change rounds below, leaves what the changes themselves cost it.
        double reloadIdle = (cpu.threadSeconds(RELOAD_THREAD) - reloadIdleFrom) / idleWall;
        long rssKb = service.statusKb("VmRSS");

        // Warm-up rounds, not counted: the first changes compile the change path (the JIT alone took ~300 ms of CPU).
        var random = new java.util.Random(16);
        changeRounds(service, registry, 1, WARM_UP, random);
        double reloadFrom = cpu.threadSeconds(RELOAD_THREAD);
        double changeFrom = cpu.seconds();
        long changeStart = System.nanoTime();
        Rounds rounds = changeRounds(service, registry, WARM_UP + 1, CHANGES, random);
        double changeCpu = cpu.seconds() - changeFrom;
        double changeWall = (System.nanoTime() - changeStart) / 1e9;
        double reloadCpu = cpu.threadSeconds(RELOAD_THREAD) - reloadFrom;

        // Control rounds: as many GETs, as spaced, over as long, with nothing changed.
        double controlFrom = cpu.seconds();
        long controlStart = System.nanoTime();
        long pause = (long) (changeWall * 1000 / rounds.gets());
        for (int i = 0; i < rounds.gets(); i++) {
            service.get("/jobs/" + name(0));
            Thread.sleep(pause);
        }
        double controlCpu = cpu.seconds() - controlFrom;
        double controlWall = (System.nanoTime() - controlStart) / 1e9;
        memory.stop();
        double perChangeMs = (changeCpu - controlCpu * changeWall / controlWall) / CHANGES * 1000;
        var stats = new Stats(rounds.latencies().stream().mapToDouble(Double::doubleValue).toArray());
        System.out.printf("%nscale, %s%n", what);
        String options = System.getProperty("skiff.bench.scale-jvm-options", "").trim();
        System.out.printf("  command                     %s %s -Dbench.scaleIdleSeconds=%d -Dbench.scaleSettleSeconds=%d%s%n",
                COMMAND, arguments, idleSeconds, settle.toSeconds(),
                options.isEmpty() ? "" : " '-Dbench.scaleJvmOptions=" + options + "'");
        System.out.printf("  start to UP                 %.1f s (process start to /q/health/ready 200), %.1f s of CPU"
                + " (all threads) by then%n", up, cpuToUp);
        System.out.printf("  idle CPU                    %.2f%% of one core over %d s (after %d s settling); of which the"
                + " state machine warmer's thread %.2f%% (Step Functions mode, skiff.sfn.register-rate)%n",
                idle * 100, idleSeconds, settle.toSeconds(), warmer * 100);
        System.out.printf("  idle CPU by half            %.2f%% over the first %.0f s, %.2f%% over the second (from %.0f s"
                + " after UP)%n", firstHalf * 100, firstHalfWall, secondHalf * 100, settle.toSeconds() + firstHalfWall);
        System.out.printf("  idle CPU by thread          %s%n", busiest);
        if (registryLog != null) {
            printWithListings(idleEnd - idleFrom, idleWall, listingsFrom.size(), listingsTo);
        }
        System.out.printf("  RSS after idle              %.0f MB; %s%n", rssKb / 1024.0, memory.summary());
        System.out.printf("  one-spec change visible     p50 %.0f ms, max %.0f ms over %d changes, each at a random moment"
                        + " (reload interval 2 s)%n", stats.percentile(50), stats.percentile(100), CHANGES);
        System.out.printf("  CPU per change              reload thread %.1f ms, %.1f ms less its idle polling (%.2f ms a"
                        + " second over the idle window); whole process %.1f ms (%.2f s over the change rounds less %.2f s"
                        + " over %d control GETs; /proc ticks are 10 ms)%n",
                reloadCpu / CHANGES * 1000, (reloadCpu - reloadIdle * changeWall) / CHANGES * 1000, reloadIdle * 1000,
                perChangeMs, changeCpu, controlCpu, rounds.gets());
        System.out.printf("  machine load after          %s%n", load());
    }

    /**
     * The idle CPU as a process burns it with the shipped full-list interval: the window's CPU less that of the full
     * listings that ended in it (as each logged it: the whole process's CPU while it ran), plus one listing's CPU per
     * {@link #SHIPPED_FULL_LIST}. A listing is the newest of those in the window, else the last one logged.
     */
    private static void printWithListings(double idleCpu, double idleWall, int listedBefore, List<Long> listingsMs) {
        List<Long> within = listingsMs.subList(listedBefore, listingsMs.size());
        if (listingsMs.isEmpty()) {
            System.out.printf("  idle CPU with full listings no full listing logged%n");
            return;
        }
        double listingsCpu = within.stream().mapToLong(Long::longValue).sum() / 1000.0;
        double between = (idleCpu - listingsCpu) / idleWall;
        double oneListing = listingsMs.get(listingsMs.size() - 1) / 1000.0;
        double shipped = between + oneListing / SHIPPED_FULL_LIST.toSeconds();
        System.out.printf("  idle CPU with full listings %.2f%% of one core AS SHIPPED (a full listing every %d s): %.2f%%"
                        + " between listings + one listing's %.2f CPU-s every %d s; %d listing(s) ended in the window"
                        + " (%s ms of CPU each, -Dbench.scaleFullListSeconds)%n", shipped * 100,
                SHIPPED_FULL_LIST.toSeconds(), between * 100, oneListing, SHIPPED_FULL_LIST.toSeconds(), within.size(),
                within);
    }

    /** The CPU (ms) of each full listing the service logged so far, in order. */
    private static List<Long> listingCpuMs(Path log) throws java.io.IOException {
        List<Long> cpu = new ArrayList<>();
        try (var lines = Files.lines(log, StandardCharsets.ISO_8859_1)) {
            lines.map(LISTED::matcher).filter(java.util.regex.Matcher::find)
                    .forEach(found -> cpu.add(Long.parseLong(found.group(1))));
        }
        return cpu;
    }

    /** The threads (by name, numbers taken out) that used the most CPU between two readings, as % of one core. */
    private static String busiestThreads(Map<String, Double> from, Map<String, Double> to, double wallSeconds) {
        return to.entrySet().stream()
                .map(e -> Map.entry(e.getKey(), e.getValue() - from.getOrDefault(e.getKey(), 0.0)))
                .filter(e -> e.getValue() > 0)
                .sorted(Map.Entry.<String, Double>comparingByValue().reversed()).limit(8)
                .map(e -> String.format("%s %.2f%%", e.getKey(), e.getValue() / wallSeconds * 100))
                .collect(java.util.stream.Collectors.joining(", "));
    }

    private record Rounds(List<Double> latencies, int gets) {
    }

    /**
     * Changes one scheduled job's minute (same size) {@code count} times, each at a random moment of the reload
     * interval, and GETs the job until the service shows it.
     */
    private static Rounds changeRounds(OrchestratorProcess service, Registry registry, int first, int count,
                                       java.util.Random random) throws Exception {
        List<Double> latencies = new ArrayList<>();
        int gets = 0;
        for (int round = first; round < first + count; round++) {
            Thread.sleep(random.nextInt(2000));
            int job = (round * 10) % 100 * 10; // a scheduled job (index % 10 < 6); changedJobs() lists them
            String expected = cron(job, round);
            long written = System.nanoTime();
            registry.write(name(job), spec(job, round));
            while (!service.get("/jobs/" + name(job)).contains("\"cron\":\"" + expected + "\"")) {
                gets++;
                if (System.nanoTime() - written > CHANGE_TIMEOUT.toNanos()) {
                    throw new IllegalStateException(name(job) + " did not show " + expected + " within " + CHANGE_TIMEOUT);
                }
                Thread.sleep(POLL.toMillis());
            }
            gets++;
            latencies.add((System.nanoTime() - written) / 1e6);
        }
        return new Rounds(latencies, gets);
    }

    /** The jobs {@link #changeRounds} edits: what a kept bucket puts back before a run. */
    static List<Integer> changedJobs() {
        List<Integer> jobs = new ArrayList<>();
        for (int round = 1; round <= WARM_UP + CHANGES; round++) {
            int job = (round * 10) % 100 * 10;
            if (!jobs.contains(job)) {
                jobs.add(job);
            }
        }
        return jobs;
    }

    static String name(int i) {
        return String.format("scale-%06d", i);
    }

    /**
     * A scheduled job's cron, daily: minute from its index and the edit round, hour from its index among the six hours
     * starting three hours from now (UTC), so that no fire falls due while the benchmark measures: the idle figure is
     * the registry's and the scheduler's, not that of 60,000 runs a day.
     */
    private static String cron(int i, int round) {
        return ((i + round) % 60) + " " + ((FIRST_HOUR + i % 6) % 24) + " * * *";
    }

    /** The spec of job {@code i}: 60% scheduled, 30% on an event, 10% following a scheduled job. */
    static String spec(int i, int round) {
        String head = """
                name: %s
                owner: team-%d
                description: generated job %d of the scale benchmark
                image: example/scale:1
                command: ["sh", "-c", "echo %d"]
                """.formatted(name(i), i % 20, i, i);
        return head + switch (i % 10) {
            case 0, 1, 2, 3, 4, 5 -> """
                    triggers:
                      schedules:
                        - cron: "%s"
                    """.formatted(cron(i, round));
            case 6, 7, 8 -> """
                    triggers:
                      events:
                        - pattern: {source: [shop], detail-type: [order-%d]}
                    """.formatted(i % 97);
            default -> """
                    triggers:
                      after:
                        - job: %s
                    """.formatted(name(i - 9));
        };
    }

    /**
     * {@code -Dbench.scaleJvmOptions} for the service's JVM: in the directory part, added by ./skiff after
     * skiff.jvm-options (SKIFF_JAVA_OPTS, as a user raises the heap limit); in the S3 part, after skiff.jvm-options on
     * the command line as the container passes them ({@link #asContainerRunsIt}), or JAVA_TOOL_OPTIONS of
     * {@code java -jar} for the embedded engine. The pom's default is a heap limit with room for 100,000 specs.
     */
    private static Map<String, String> jvmOptions() {
        String options = System.getProperty("skiff.bench.scale-jvm-options", "").trim();
        return options.isEmpty() ? Map.of() : Map.of("JAVA_TOOL_OPTIONS", options);
    }

    /**
     * AWS mode as infra's container runs it: {@code java} with the options of skiff.jvm-options (the task definition's
     * JDK_JAVA_OPTIONS), on this JVM (the container's AOT cache is left out), -Dbench.scaleJvmOptions after them.
     */
    private static List<String> asContainerRunsIt() {
        var command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "@" + StepFunctionsService.repositoryRoot().resolve("orchestrator/service/src/main/jvm/skiff.jvm-options")));
        String options = System.getProperty("skiff.bench.scale-jvm-options", "").trim();
        if (!options.isEmpty()) {
            command.addAll(List.of(options.split("\\s+")));
        }
        command.addAll(List.of("-jar", StepFunctionsService.jar().toString()));
        return command;
    }

    /** The service as shipped (./skiff up), with the caller's options left out and the benchmark's added. */
    private static Map<String, String> shippedOptions() {
        return Map.of("JAVA_OPTS", "", "JDK_JAVA_OPTIONS", "",
                "SKIFF_JAVA_OPTS", System.getProperty("skiff.bench.scale-jvm-options", "").trim());
    }

    private static String load() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }
}
