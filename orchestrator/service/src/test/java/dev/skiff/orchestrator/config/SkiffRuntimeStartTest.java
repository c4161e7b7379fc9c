package dev.skiff.orchestrator.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skiff.jobs.JobSpec;
import dev.skiff.orchestrator.TestSpecs;
import dev.skiff.orchestrator.app.CronScheduler;
import dev.skiff.orchestrator.app.JobCatalog;
import dev.skiff.orchestrator.app.RegisteredJob;
import dev.skiff.orchestrator.app.RunDispatcher;
import dev.skiff.orchestrator.port.Backfills;
import dev.skiff.orchestrator.port.JobRegistry;
import dev.skiff.orchestrator.port.MissedDeadlines;
import dev.skiff.orchestrator.port.PausedSchedules;
import dev.skiff.orchestrator.port.RunEngine;
import dev.skiff.orchestrator.port.TaskLauncher;
import dev.skiff.orchestrator.port.TaskRecords;
import dev.skiff.orchestrator.port.Watermarks;
import dev.skiff.workflows.Run;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The runtime's start: the service is up once the registry has published its jobs, but fires missed while it was
 * stopped are caught up only once the registry was listed ({@link JobRegistry#listed}), never from a snapshot's view
 * that may still hold a job deleted from the bucket meanwhile.
 */
class SkiffRuntimeStartTest {

    /** A registry whose listing ends when the test says. */
    private static final class Registry implements JobRegistry {
        final CompletableFuture<Void> listed = new CompletableFuture<>();

        @Override
        public void reload() {
        }

        @Override
        public CompletionStage<Void> listed() {
            return listed;
        }

        @Override
        public void put(String name, String text) {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean delete(String name) {
            throw new UnsupportedOperationException();
        }

        @Override
        public String location() {
            return "test";
        }
    }

    /** Counts the scheduler's catch-up queries (one per start: the newest cron run of each scheduled job). */
    private static final class Engine implements RunEngine {
        final AtomicInteger catchUps = new AtomicInteger();
        /** How many catch-ups still fail, as one does when Step Functions throttles past the SDK's retries. */
        final AtomicInteger failing = new AtomicInteger();

        @Override
        public Map<String, Instant> newestRuns(Collection<String> jobs, String trigger) {
            catchUps.incrementAndGet();
            if (failing.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                throw new IllegalStateException("Rate exceeded");
            }
            return Map.of();
        }

        @Override
        public Started start(String runId, JobSpec job, String trigger, Map<String, String> parameters) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Optional<Run> get(String runId) {
            return Optional.empty();
        }

        @Override
        public boolean exists(String runId) {
            return false;
        }

        @Override
        public List<String> activeRunIds(String job, int limit) {
            return List.of();
        }

        @Override
        public List<Run> list(RunQuery query) {
            return List.of();
        }

        @Override
        public Run cancel(String runId, String reason) {
            throw new UnsupportedOperationException();
        }
    }

    /** A mode with no loops of its own and no deadline events. */
    private static SkiffMode mode(RunEngine engine) {
        return new SkiffMode() {
            @Override
            public ModeChoice choice() {
                return new ModeChoice(ModeChoice.Engine.EMBEDDED, ModeChoice.Launcher.PROCESS);
            }

            @Override
            public List<String> configProblems() {
                return List.of();
            }

            @Override
            public RunEngine engine() {
                return engine;
            }

            @Override
            public TaskLauncher launcher() {
                throw new UnsupportedOperationException();
            }

            @Override
            public PausedSchedules pausedSchedules() {
                throw new UnsupportedOperationException();
            }

            @Override
            public Backfills backfills() {
                throw new UnsupportedOperationException();
            }

            @Override
            public TaskRecords taskRecords() {
                throw new UnsupportedOperationException();
            }

            @Override
            public Optional<MissedDeadlines> missedDeadlines() {
                return Optional.empty();
            }

            @Override
            public Watermarks watermarks() {
                throw new UnsupportedOperationException();
            }

            @Override
            public void start() {
            }

            @Override
            public void stop() {
            }
        };
    }

    private static SkiffConfig config() {
        return new SmallRyeConfigBuilder().withMapping(SkiffConfig.class).withValidateUnknown(false)
                .withConverter(Duration.class, 100, new DurationConverter())
                .withSources(new PropertiesConfigSource(Map.of("skiff.jobs.location", "jobs"), "test", 100)).build()
                .getConfigMapping(SkiffConfig.class);
    }

    private final Registry registry = new Registry();
    private final Engine engine = new Engine();
    private final JobCatalog catalog = new JobCatalog();

    {
        // one scheduled job, so that a catch-up has a job to ask about
        JobSpec nightly = TestSpecs.shell("nightly", "true", """
                triggers:
                  schedules:
                    - cron: "0 2 * * *\"""");
        catalog.replace(List.of(new RegisteredJob(nightly, "nightly.yaml")), List.of());
    }

    private SkiffRuntime runtime() {
        return new SkiffRuntime(config(), registry, mode(engine), new CronScheduler(catalog,
                new RunDispatcher(catalog, engine), engine, Clock.systemUTC()), catalog, Clock.systemUTC());
    }

    @Test
    void shouldCatchUpMissedFiresOnlyOnceTheRegistryWasListed() throws InterruptedException {
        // Given a registry that published its jobs from a snapshot and lists the bucket still
        var runtime = runtime();
        try {
            // When the service starts
            runtime.start(null);

            // Then it is up, but has caught up no fire
            assertThat(catalog.awaitLoaded(Duration.ZERO)).as("up").isTrue();
            assertThat(engine.catchUps).hasValue(0);

            // And when the listing is applied, it catches up
            registry.listed.complete(null);
            assertThat(engine.catchUps).hasValue(1);
        } finally {
            runtime.stop(null);
        }
    }

    @Test
    void shouldTryTheSchedulesAgainWhenTheyFailAfterTheStartRatherThanStayUpWithout() throws InterruptedException {
        // Given a service up from a snapshot, whose catch-up will fail twice once the listing is applied
        var runtime = runtime();
        runtime.schedulesRetry = Duration.ofMillis(50);
        engine.failing.set(2);
        try {
            runtime.start(null);

            // When the listing is applied
            registry.listed.complete(null);

            // Then the schedules are tried again until they start: a third catch-up, which succeeds
            Instant giveUp = Instant.now().plusSeconds(10);
            while (engine.catchUps.get() < 3 && Instant.now().isBefore(giveUp)) {
                Thread.sleep(10);
            }
            Thread.sleep(200);
            assertThat(engine.catchUps).as("no retry after the one that succeeded").hasValue(3);
        } finally {
            runtime.stop(null);
        }
    }

    @Test
    void shouldFailTheStartWhenTheSchedulesFailDuringIt() {
        registry.listed.complete(null);
        engine.failing.set(1);
        var runtime = runtime();
        try {
            assertThatThrownBy(() -> runtime.start(null)).hasMessage("Rate exceeded");
        } finally {
            runtime.stop(null);
        }
    }

    @Test
    void shouldCatchUpDuringTheStartWhenTheRegistryWasListedByThen() {
        registry.listed.complete(null);
        var runtime = runtime();
        try {
            runtime.start(null);

            assertThat(engine.catchUps).hasValue(1);
        } finally {
            runtime.stop(null);
        }
    }
}
