package dev.skiff.benchmarks;

import dev.skiff.testing.MotoServer;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The packaged service's start, as shipped and with the JVM's defaults, in embedded mode and in Step Functions mode on
 * moto. "As shipped" is {@code ./skiff up} itself, so the options are those of skiff.jvm-options and nothing is copied
 * here: once as it chooses its Java (a JDK 25 or newer when one is found, with its AOT cache), once where it finds only
 * the Java running this benchmark (no JDK directory, JAVA_HOME and PATH of this JVM: Java 17 with its AppCDS archive);
 * "JVM defaults" is {@code java -jar quarkus-run.jar} on this benchmark's Java. Each line names the JVM that ran. Each start is timed from exec to the first 200 on
 * {@code /q/health/ready} (polled every 10 ms), with the CPU-seconds the process used until then (less sensitive than
 * wall time to a loaded machine), then left idle and its RSS read. One unmeasured start per command first: it fills
 * the page cache, and lets ./skiff write its class-data archive if the build is newer.
 *
 * <p>{@code -Dbench.startupRuns=5} starts per command and mode, {@code -Dbench.startupIdleSeconds=30} idle time.
 */
final class StartupBenchmark {

    /** One start's figures, and the JVM that ran it. */
    private record Start(double readyMs, double cpuSeconds, double idleRssMb, String memory, String java) {
    }

    /** A command and what its environment adds. */
    private record Command(String name, List<String> line, Map<String, String> environment) {
    }

    /** How long a measured start may take before the benchmark gives up. */
    private static final java.time.Duration READY_WITHIN = java.time.Duration.ofSeconds(90);

    private StartupBenchmark() {
    }

    static void run() throws Exception {
        int runs = Integer.getInteger("skiff.bench.startup-runs", 5);
        long idleSeconds = Long.getLong("skiff.bench.startup-idle-seconds", 30);
        Path root = StepFunctionsService.repositoryRoot();
        Path target = StepFunctionsService.target();
        String thisJava = System.getProperty("java.home");
        List<Command> commands = List.of(
                new Command("as shipped (./skiff up)", List.of(root.resolve("skiff").toString(), "up"), Map.of()),
                new Command("as shipped, Java 17 found", List.of(root.resolve("skiff").toString(), "up"), Map.of(
                        "SKIFF_JVM_DIRS", target.resolve("no-jvm-directory").toString(), "JAVA_HOME", thisJava,
                        "PATH", thisJava + "/bin:" + System.getenv("PATH"))),
                new Command("JVM defaults (java -jar)", OrchestratorProcess.plainJava(StepFunctionsService.jar()),
                        Map.of()));
        System.out.printf("startup: %d starts per command and mode, RSS after %d s idle; load average %s%n", runs,
                idleSeconds, loadAverage());
        for (var command : commands) {
            // the unmeasured start may build the jar and train ./skiff's AOT cache first
            embedded(command, target, 1, 0, root, java.time.Duration.ofMinutes(15));
            report("embedded", command, embedded(command, target, runs, idleSeconds, root, READY_WITHIN));
        }
        MotoServer moto = MotoServer.shared();
        URI endpoint = moto.endpoint();
        try (SqsClient sqs = StepFunctionsService.sqs(endpoint); EcsClient ecs = MotoCluster.client(endpoint)) {
            for (var command : commands) {
                report("stepfunctions on moto", command, aws(command, endpoint, sqs, ecs, runs, idleSeconds));
            }
        }
        System.out.printf("  load average after          %s%n", loadAverage());
    }

    private static List<Start> embedded(Command command, Path target, int runs, long idleSeconds, Path root,
                                        java.time.Duration readyWithin) throws Exception {
        List<Start> starts = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            Map<String, String> environment = new java.util.HashMap<>(Map.of(
                    "SKIFF_DATA_DIR", Files.createTempDirectory(target, "startup-data-").toString(),
                    "SKIFF_JOBS_LOCATION", root.resolve("jobs/examples").toString(),
                    // as shipped means no options of the caller's
                    "JAVA_OPTS", "", "JDK_JAVA_OPTIONS", ""));
            environment.putAll(command.environment());
            long begin = System.nanoTime();
            try (var service = OrchestratorProcess.start(command.line(), environment,
                    target.resolve("startup-service.log"), readyWithin)) {
                starts.add(measure(service, begin, idleSeconds));
            }
        }
        return starts;
    }

    private static List<Start> aws(Command command, URI moto, SqsClient sqs, EcsClient ecs, int runs,
                                   long idleSeconds) throws Exception {
        List<Start> starts = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            String suffix = UUID.randomUUID().toString().substring(0, 8);
            Path jobs = Files.createTempDirectory(StepFunctionsService.target(), "startup-jobs-");
            FollowJobs.write(jobs, "up-" + suffix, "down-" + suffix);
            long begin = System.nanoTime();
            Map<String, String> environment = new java.util.HashMap<>(Map.of("JAVA_OPTS", "", "JDK_JAVA_OPTIONS", ""));
            environment.putAll(command.environment());
            try (var service = StepFunctionsService.start("startup-moto", moto, sqs, ecs, suffix, jobs.toString(),
                    environment, command.line())) {
                starts.add(measure(service.process(), begin, idleSeconds));
            }
        }
        return starts;
    }

    /** The start that began at {@code begin} and is ready now: its times, then its RSS once idle. */
    private static Start measure(OrchestratorProcess service, long begin, long idleSeconds) throws InterruptedException {
        double readyMs = (System.nanoTime() - begin) / 1e6;
        double cpu = new ProcessCpu(service.pid(), "service").seconds();
        String java = javaOf(service.pid());
        var memory = new MemorySampler(service);
        Thread.sleep(idleSeconds * 1000);
        memory.stop();
        return new Start(readyMs, cpu, service.statusKb("VmRSS") / 1024.0, memory.summary(), java);
    }

    /** The java executable process {@code pid} runs (./skiff execs the Java it chose). */
    private static String javaOf(long pid) {
        try {
            return Path.of("/proc", Long.toString(pid), "exe").toRealPath().toString();
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }

    private static void report(String mode, Command command, List<Start> starts) {
        String name = command.name();
        System.out.printf("  %-22s %-26s ready p50 %5.0f ms (min %5.0f, max %5.0f), CPU to ready p50 %4.2f s, "
                        + "idle RSS p50 %4.0f MB (max %4.0f)%n", mode, name,
                Stats.median(starts.stream().mapToDouble(Start::readyMs).toArray()),
                starts.stream().mapToDouble(Start::readyMs).min().orElse(Double.NaN),
                starts.stream().mapToDouble(Start::readyMs).max().orElse(Double.NaN),
                Stats.median(starts.stream().mapToDouble(Start::cpuSeconds).toArray()),
                Stats.median(starts.stream().mapToDouble(Start::idleRssMb).toArray()),
                starts.stream().mapToDouble(Start::idleRssMb).max().orElse(Double.NaN));
        System.out.printf("  %-22s %-26s last start: %s%n", "", "", starts.get(starts.size() - 1).memory());
        System.out.printf("  %-22s %-26s JVM: %s%n", "", "", starts.get(starts.size() - 1).java());
        System.out.printf("  %-22s %-26s command: %s%s%n", "", "", command.environment().isEmpty() ? ""
                : String.join(" ", command.environment().entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(e -> e.getKey() + "=" + e.getValue()).toList()) + " ", String.join(" ", command.line()));
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }
}
