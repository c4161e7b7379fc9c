package dev.skiff.orchestrator.adapter.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.jobs.JobSpec;
import dev.skiff.orchestrator.TestSpecs;
import dev.skiff.orchestrator.app.TickLoop;
import dev.skiff.orchestrator.port.RecordingTaskLauncher;
import dev.skiff.orchestrator.port.RunListener;
import dev.skiff.workflows.Attempt;
import dev.skiff.workflows.Run;
import dev.skiff.workflows.RunStatus;
import dev.skiff.workflows.StepOutcome;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Launches that take their time, as RunTask behind a rate limiter does: they must overlap, must not hold up
 * start, cancel or get, and whatever arrives while one is under way (a cancel, the task's end, the same run
 * again) must still be carried out once the task exists.
 */
class EmbeddedRunEngineLaunchTest {

    private static final Duration LAUNCH = Duration.ofMillis(300);
    /** What a call that waits for no launch takes at most, even on a busy machine. */
    private static final Duration PROMPT = Duration.ofMillis(250);

    private final Clock clock = Clock.systemUTC();
    private final RecordingTaskLauncher launcher = new RecordingTaskLauncher(clock);
    private final H2RunStore store = H2RunStore.inMemory("launch-" + UUID.randomUUID());
    private EmbeddedRunEngine engine;
    private TickLoop loop;

    private final JobSpec job = TestSpecs.shell("slow", "true", "timeout: 10m");

    private void open(int slots) {
        engine = new EmbeddedRunEngine(store, launcher, new RunListener() { }, clock, slots);
        engine.recover();
        loop = new TickLoop("launch-test-engine", engine, clock).start();
    }

    @AfterEach
    void close() {
        launcher.releaseLaunches();
        if (loop != null) {
            loop.close();
        }
        if (engine != null) {
            engine.close();
        }
        store.close();
    }

    @Test
    void shouldRunSlowLaunchesSideBySideWhileStartCancelAndGetAnswerAtOnce() throws Exception {
        // Given 20 free slots and a launcher that takes 300 ms for each launch
        open(20);
        launcher.withLaunchDelay(LAUNCH);
        long begin = System.nanoTime();

        // When 20 runs start
        for (int i = 0; i < 20; i++) {
            engine.start(String.format("slow-k-%04d", i), job, "api", Map.of());
        }
        await(() -> launcher.launchesInFlight() > 0, Duration.ofSeconds(5));

        // Then while their launches are under way, another run starts, is read and is cancelled without waiting
        assertThat(timed(() -> engine.start("other-k-0001", job, "api", Map.of()))).isLessThan(PROMPT);
        assertThat(timed(() -> engine.get("slow-k-0019"))).isLessThan(PROMPT);
        assertThat(timed(() -> engine.cancel("other-k-0001", "not needed"))).isLessThan(PROMPT);
        assertThat(launcher.launchesInFlight()).as("launches still under way after the calls").isPositive();

        // And the launches overlapped: all 20 run well before 20 launches one after the other would
        for (int i = 0; i < 20; i++) {
            awaitStatus(String.format("slow-k-%04d", i), RunStatus.RUNNING, Duration.ofSeconds(10));
        }
        Duration all = Duration.ofNanos(System.nanoTime() - begin);
        assertThat(launcher.mostLaunchesAtOnce()).isGreaterThan(1);
        assertThat(all).isLessThan(LAUNCH.multipliedBy(20).dividedBy(3));
        // ... without ever holding more than the 20 slots, and the cancelled run never launched
        assertThat(launcher.launches()).hasSize(20);
        assertThat(engine.runningAttempts()).isEqualTo(20);
        assertThat(engine.get("other-k-0001").orElseThrow().status()).isEqualTo(RunStatus.CANCELLED);
    }

    @Test
    void shouldStopTheTaskOfARunCancelledWhileItLaunched() throws Exception {
        // Given a launch under way that has not returned yet
        open(1);
        launcher.holdLaunches();
        engine.start("cancelled-k-0001", job, "api", Map.of());
        await(() -> launcher.launchesInFlight() == 1, Duration.ofSeconds(5));

        // When the run is cancelled then, and the launch returns afterwards
        Run cancelled = within(PROMPT, () -> engine.cancel("cancelled-k-0001", "changed my mind"));
        assertThat(cancelled.status()).isEqualTo(RunStatus.CANCELLED);
        launcher.releaseLaunches();

        // Then the task it made is stopped with the cancel's reason, and holds its slot until it has ended
        await(() -> !launcher.stops().isEmpty(), Duration.ofSeconds(5));
        assertThat(launcher.stops()).singleElement()
                .isEqualTo(new RecordingTaskLauncher.Stop("cancelled-k-0001/1", "changed my mind"));
        assertThat(engine.runningAttempts()).isEqualTo(1);
        engine.start("next-k-0001", job, "api", Map.of());
        Thread.sleep(LAUNCH.toMillis());
        assertThat(engine.get("next-k-0001").orElseThrow().status()).isEqualTo(RunStatus.PENDING);

        // And once the stopped task ends, the run stays cancelled and the slot goes to the next run
        launcher.finish("cancelled-k-0001", 1, new StepOutcome.Exited(143));
        awaitStatus("next-k-0001", RunStatus.RUNNING, Duration.ofSeconds(5));
        assertThat(engine.get("cancelled-k-0001").orElseThrow().status()).isEqualTo(RunStatus.CANCELLED);
        assertThat(launcher.launches()).extracting(r -> r.runId()).containsExactly("cancelled-k-0001", "next-k-0001");
    }

    @Test
    void shouldStopATaskWhoseDeadlinePassedWhileItLaunched() throws Exception {
        // Given a job that may run 1 s, and a launch that takes 1.5 s (the task counts from when it was asked for)
        open(1);
        JobSpec quick = TestSpecs.shell("quick", "true", "timeout: 1s");
        launcher.withLaunchDelay(Duration.ofMillis(1500));

        // When it launches
        engine.start("quick-k-0001", quick, "api", Map.of());

        // Then the task is stopped for its timeout once it exists, and its end times the run out
        await(() -> !launcher.stops().isEmpty(), Duration.ofSeconds(10));
        assertThat(launcher.stops()).singleElement().satisfies(stop -> assertThat(stop.reason()).contains("timeout"));
        launcher.finish("quick-k-0001", 1, new StepOutcome.Exited(143));
        assertThat(awaitStatus("quick-k-0001", RunStatus.TIMED_OUT, Duration.ofSeconds(5)).attempts()).hasSize(1);
    }

    @Test
    void shouldRecordATaskThatEndedBeforeItsLaunchReturned() throws Exception {
        // Given a launch under way whose task has already ended
        open(1);
        launcher.holdLaunches();
        engine.start("early-k-0001", job, "api", Map.of());
        await(() -> launcher.launchesInFlight() == 1, Duration.ofSeconds(5));
        CompletableFuture<Void> ended = CompletableFuture.runAsync(
                () -> launcher.finish("early-k-0001", 1, new StepOutcome.Succeeded()));
        ended.get(PROMPT.toMillis(), TimeUnit.MILLISECONDS);

        // When the launch returns
        launcher.releaseLaunches();

        // Then the run succeeds with the one attempt, which names its task
        Run run = awaitStatus("early-k-0001", RunStatus.SUCCEEDED, Duration.ofSeconds(5));
        assertThat(run.attempts()).singleElement().satisfies(a -> {
            assertThat(a.taskId()).isEqualTo("early-k-0001/1");
            assertThat(a.exitCode()).contains(0);
        });
        assertThat(engine.runningAttempts()).isZero();
    }

    @Test
    void shouldStartOneRunWhenTheSameRunIdComesAgainWhileItLaunches() throws Exception {
        open(2);
        launcher.holdLaunches();
        engine.start("twice-k-0001", job, "api", Map.of());
        await(() -> launcher.launchesInFlight() == 1, Duration.ofSeconds(5));

        var again = within(PROMPT, () -> engine.start("twice-k-0001", job, "api", Map.of()));
        launcher.releaseLaunches();

        assertThat(again.created()).isFalse();
        awaitStatus("twice-k-0001", RunStatus.RUNNING, Duration.ofSeconds(5));
        Thread.sleep(LAUNCH.toMillis());
        assertThat(launcher.launches()).hasSize(1);
        assertThat(engine.get("twice-k-0001").orElseThrow().attempts()).extracting(Attempt::taskId)
                .containsExactly("twice-k-0001/1");
    }

    /** Runs the call on another thread and fails if it does not return within the limit (instead of hanging the test). */
    private static <T> T within(Duration limit, Supplier<T> call) throws Exception {
        return CompletableFuture.supplyAsync(call).get(limit.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static Duration timed(Runnable call) throws Exception {
        long begin = System.nanoTime();
        CompletableFuture.runAsync(call).get(10, TimeUnit.SECONDS);
        return Duration.ofNanos(System.nanoTime() - begin);
    }

    private Run awaitStatus(String runId, RunStatus status, Duration timeout) throws InterruptedException {
        await(() -> engine.get(runId).orElseThrow().status() == status, timeout);
        return engine.get(runId).orElseThrow();
    }

    private void await(BooleanSupplier condition, Duration timeout) throws InterruptedException {
        Instant giveUp = Instant.now().plus(timeout);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(giveUp)) {
                throw new AssertionError("not within " + timeout + "; runs: " + engine.list(
                        new dev.skiff.orchestrator.port.RunEngine.RunQuery(java.util.Optional.empty(), java.util.Set.of(),
                                java.util.Optional.empty(), 100)));
            }
            Thread.sleep(10);
        }
    }
}
