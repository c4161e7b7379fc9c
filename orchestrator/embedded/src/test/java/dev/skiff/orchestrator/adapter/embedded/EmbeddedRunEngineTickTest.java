package dev.skiff.orchestrator.adapter.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.jobs.JobSpec;
import dev.skiff.testing.SettableClock;
import dev.skiff.orchestrator.TestSpecs;
import dev.skiff.orchestrator.port.LaunchedTask;
import dev.skiff.orchestrator.port.RecordingTaskLauncher;
import dev.skiff.orchestrator.port.RunListener;
import dev.skiff.orchestrator.port.TaskLauncher;
import dev.skiff.orchestrator.port.TaskListener;
import dev.skiff.orchestrator.port.TaskRequest;
import dev.skiff.workflows.RunStatus;
import dev.skiff.workflows.StepOutcome;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The engine stepped by hand: a settable clock, {@code tick(now)} instead of a loop, a recording launcher, and
 * launch calls on the ticking thread (still outside the engine's lock), so a tick returns with its launches done.
 */
class EmbeddedRunEngineTickTest {

    private static final Instant T0 = Instant.parse("2026-11-26T02:00:00Z");

    private final SettableClock clock = new SettableClock(T0);
    private final RecordingTaskLauncher launcher = new RecordingTaskLauncher(clock);
    private final H2RunStore store = H2RunStore.inMemory("tick-" + UUID.randomUUID());
    private final EmbeddedRunEngine engine = new EmbeddedRunEngine(store, launcher, new RunListener() { }, clock, 2, Runnable::run);

    @AfterEach
    void close() {
        store.close();
    }

    private final JobSpec job = TestSpecs.shell("tick", "true", "timeout: 10m", """
            retries:
              maxAttempts: 2
              backoff: {interval: 30s}
              retryOn: [exit-code]""");

    @Test
    void shouldStopOnceAndStopWakingForTheDeadlineWhenItPassed() {
        // Given a running attempt
        engine.start("tick-k-1", job, "api", Map.of());
        engine.tick(T0);
        assertThat(engine.nextWakeUp()).contains(T0.plus(Duration.ofMinutes(10)));

        // When its deadline passes and the engine ticks twice
        Instant late = clock.advance(Duration.ofMinutes(11));
        engine.tick(late);
        engine.tick(late);

        // Then the task was asked to stop once, and the loop has nothing due (no busy wake-ups while it stops)
        assertThat(launcher.stops()).hasSize(1);
        assertThat(engine.nextWakeUp()).isEmpty();
        // ... while the stopping attempt still holds its slot
        assertThat(engine.runningAttempts()).isEqualTo(1);

        // And the kill's exit code ends the run as timed out
        launcher.finish("tick-k-1", 1, new StepOutcome.Exited(143));
        assertThat(engine.get("tick-k-1").orElseThrow().status()).isEqualTo(RunStatus.TIMED_OUT);
        assertThat(engine.runningAttempts()).isZero();
    }

    @Test
    void shouldLaunchTheRetryOnlyWhenItsBackoffHasPassed() {
        engine.start("tick-k-2", job, "api", Map.of());
        engine.tick(T0);
        launcher.finish("tick-k-2", 1, new StepOutcome.Exited(1));

        engine.tick(T0.plusSeconds(29));
        assertThat(launcher.launches()).hasSize(1);
        assertThat(engine.nextWakeUp()).contains(T0.plusSeconds(30));

        engine.tick(T0.plusSeconds(30));
        assertThat(launcher.launches()).hasSize(2);
        assertThat(launcher.launches().get(1).attempt()).isEqualTo(2);
    }

    @Test
    void shouldAskAgainToStopATaskWhoseStopWasRequestedBeforeARestart() {
        // Given a cancel asked for, and then the orchestrator gone before the task ended
        engine.start("tick-k-3", job, "api", Map.of());
        engine.tick(T0);
        engine.cancel("tick-k-3", "by hand");
        assertThat(launcher.stops()).hasSize(1);

        // When a new engine recovers from the same store
        var restarted = new EmbeddedRunEngine(store, launcher, new RunListener() { }, clock, 2, Runnable::run);
        restarted.recover();

        // Then it repeats the stop, and the run ends cancelled when the task ends
        assertThat(launcher.stops()).hasSize(2).allSatisfy(stop -> assertThat(stop.reason()).isEqualTo("by hand"));
        launcher.finish("tick-k-3", 1, new StepOutcome.Exited(143));
        assertThat(restarted.get("tick-k-3").orElseThrow().status()).isEqualTo(RunStatus.CANCELLED);
    }

    @Test
    void shouldRecordAStartFailureWhenTheLauncherThrowsUnexpectedly() {
        TaskLauncher broken = new TaskLauncher() {
            @Override
            public LaunchedTask launch(TaskRequest request, TaskListener listener) {
                throw new IllegalStateException("boom");
            }

            @Override
            public void reattach(TaskRequest request, LaunchedTask task, TaskListener listener) {
            }

            @Override
            public void stop(LaunchedTask task, String reason) {
            }
        };
        var failing = new EmbeddedRunEngine(store, broken, new RunListener() { }, clock, 2, Runnable::run);
        failing.start("tick-k-4", job, "api", Map.of());

        failing.tick(T0);

        var run = failing.get("tick-k-4").orElseThrow();
        assertThat(run.status()).isEqualTo(RunStatus.FAILED);
        assertThat(run.cause()).hasValueSatisfying(cause -> assertThat(cause).contains("the launcher failed"));
    }

    @Test
    void shouldGiveTheSlotBackWhenRecordingALaunchFails() {
        // Given a listener that fails when told of a launch (after the launch is written)
        RunListener broken = new RunListener() {
            @Override
            public void attemptLaunched(dev.skiff.workflows.Run run, dev.skiff.workflows.Attempt attempt) {
                throw new IllegalStateException("metrics broke");
            }
        };
        var failing = new EmbeddedRunEngine(store, launcher, broken, clock, 2, Runnable::run);
        failing.start("tick-k-5", job, "api", Map.of());

        // When the attempt launches and later ends
        failing.tick(T0);
        launcher.finish("tick-k-5", 1, new StepOutcome.Succeeded());

        // Then the run succeeded and its slot is free again
        assertThat(failing.get("tick-k-5").orElseThrow().status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(failing.runningAttempts()).isZero();
    }
}
