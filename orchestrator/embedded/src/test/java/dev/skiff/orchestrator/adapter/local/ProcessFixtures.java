package dev.skiff.orchestrator.adapter.local;

import dev.skiff.jobs.Architecture;
import dev.skiff.jobs.Capacity;
import dev.skiff.jobs.JobSpec;
import dev.skiff.jobs.Resources;
import dev.skiff.jobs.RetryPolicy;
import dev.skiff.jobs.Triggers;
import dev.skiff.orchestrator.port.LaunchedTask;
import dev.skiff.orchestrator.port.TaskRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** Requests and observations shared by the process launcher tests. */
final class ProcessFixtures {

    static final Instant NOW = Instant.parse("2025-01-01T02:00:00Z");
    static final Duration TIMEOUT = Duration.ofSeconds(10);

    private ProcessFixtures() {
    }

    /** A fixed clock, so that ends observed live are stamped {@link #NOW}. */
    static ProcessLauncherOptions options(Path dataDir) {
        return ProcessLauncherOptions.under(dataDir)
                .withStopGracePeriod(Duration.ofSeconds(2))
                .withClock(Clock.fixed(NOW, ZoneOffset.UTC));
    }

    static TaskRequest request(String runId, int attempt, List<String> commandLine, Map<String, String> env) {
        var job = new JobSpec("test-job", "a job for launcher tests", "team", "unused:latest", commandLine, List.of(),
                Map.of(), Map.of(), new Resources(256, 512, 20, Architecture.X86_64), Capacity.ON_DEMAND,
                Duration.ofMinutes(5), new RetryPolicy(1, Duration.ofSeconds(1), 2.0, Duration.ofMinutes(1), Set.of(),
                Set.of()), List.of(), Map.of(), Triggers.none());
        return new TaskRequest(runId, job, "main", attempt, commandLine, env, Duration.ofMinutes(5), Capacity.ON_DEMAND);
    }

    static Path exitFileOf(LaunchedTask task) {
        return Path.of(task.logLocation().replaceFirst("\\.log$", ".exit"));
    }

    /** The variables printed by {@code env} into the task's log. */
    static Map<String, String> environmentIn(LaunchedTask task) {
        try {
            return Files.readAllLines(Path.of(task.logLocation())).stream()
                    .filter(line -> line.contains("="))
                    .collect(Collectors.toMap(line -> line.substring(0, line.indexOf('=')),
                            line -> line.substring(line.indexOf('=') + 1), (first, second) -> second, HashMap::new));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Polls briefly: the line appears within milliseconds of the launch. */
    static String awaitFirstLine(Path log) throws Exception {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            List<String> lines = Files.exists(log) ? Files.readAllLines(log) : List.of();
            if (!lines.isEmpty()) {
                return lines.get(0);
            }
            Thread.sleep(20);
        }
        throw new AssertionError("nothing written to " + log + " within " + TIMEOUT);
    }

    static long firstLineAsPid(Path log) throws Exception {
        return Long.parseLong(awaitFirstLine(log).strip());
    }
}
