package dev.skiff.orchestrator.adapter.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.jobs.JobSpec;
import dev.skiff.orchestrator.TestSpecs;
import dev.skiff.orchestrator.adapter.local.ProcessLauncherOptions;
import dev.skiff.orchestrator.adapter.local.ProcessTaskLauncher;
import dev.skiff.orchestrator.app.TickLoop;
import dev.skiff.orchestrator.port.RunEngine;
import dev.skiff.orchestrator.port.RunEngineContract;
import dev.skiff.orchestrator.port.RunListener;
import dev.skiff.workflows.Run;
import dev.skiff.workflows.RunStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded engine with real local processes and a real H2 file, including restarts. */
class EmbeddedRunEngineTest extends RunEngineContract {

    @TempDir
    Path data;

    private H2RunStore store;
    private EmbeddedRunEngine engine;
    private TickLoop loop;

    @BeforeEach
    void startEngine() {
        open(8);
    }

    @AfterEach
    void stopEngine() {
        crash();
    }

    @Override
    protected RunEngine engine() {
        return engine;
    }

    private void open(int maxConcurrent) {
        store = H2RunStore.open(data);
        var launcher = new ProcessTaskLauncher(ProcessLauncherOptions.under(data).withStopGracePeriod(Duration.ofSeconds(2)));
        engine = new EmbeddedRunEngine(store, launcher, new RunListener() { }, Clock.systemUTC(), maxConcurrent);
        engine.recover();
        loop = new TickLoop("test-engine", engine, Clock.systemUTC()).start();
    }

    /** Drops the engine as a killed JVM would: no stop of its processes, nothing flushed beyond what each call wrote. */
    private void crash() {
        if (loop != null) {
            loop.close();
            store.close();
            loop = null;
        }
    }

    @Test
    void shouldSayTheStartChangedNothingWhenTheSameRunIdComesAgainAtOnce() throws Exception {
        // Given a run just started
        JobSpec job = TestSpecs.shell("again", "true");
        var first = engine.start("again-e-0001", job, "event", Map.of());

        // When the same run id starts again at once
        var second = engine.start("again-e-0001", job, "event", Map.of());

        // Then the embedded engine, which keeps its runs in one store, says so at once (the contract does not promise
        // this within a second on Step Functions)
        assertThat(first.created()).isTrue();
        assertThat(second.created()).isFalse();
        assertThat(awaitEnd("again-e-0001", Duration.ofSeconds(20)).attempts()).hasSize(1);
    }

    @Test
    void shouldFinishARunningRunAfterARestart() throws Exception {
        // Given a run whose process is still running when the orchestrator dies
        Path gate = data.resolve("gate");
        JobSpec job = TestSpecs.shell("survivor", "while [ ! -f '" + gate + "' ]; do sleep 0.05; done; exit 4");
        engine.start("survivor-k-0001", job, "api", Map.of());
        awaitStatus("survivor-k-0001", RunStatus.RUNNING, Duration.ofSeconds(20));
        crash();

        // When the process ends while nobody watches, and a new orchestrator starts on the same data
        Files.createFile(gate);
        open(8);

        // Then the run ends with the process's real exit code, from its one and only attempt
        Run run = awaitEnd("survivor-k-0001", Duration.ofSeconds(20));
        assertThat(run.status()).isEqualTo(RunStatus.FAILED);
        assertThat(run.attempts()).singleElement().satisfies(a -> assertThat(a.exitCode()).contains(4));
    }

    @Test
    void shouldLaunchARunThatWaitedWhenTheOrchestratorDied() throws Exception {
        // Given one slot held by a long run, and a second run waiting for it
        crash();
        open(1);
        JobSpec blocker = TestSpecs.shell("blocker", "sleep 60", "timeout: 3s");
        JobSpec waiting = TestSpecs.shell("waiting", "true");
        engine.start("blocker-k-0001", blocker, "api", Map.of());
        awaitStatus("blocker-k-0001", RunStatus.RUNNING, Duration.ofSeconds(20));
        engine.start("waiting-k-0001", waiting, "api", Map.of());
        assertThat(engine.get("waiting-k-0001").orElseThrow().status()).isEqualTo(RunStatus.PENDING);

        // When the orchestrator restarts
        crash();
        open(1);

        // Then the blocker still times out on its original deadline, and the waiting run then runs
        assertThat(awaitEnd("blocker-k-0001", Duration.ofSeconds(30)).status()).isEqualTo(RunStatus.TIMED_OUT);
        assertThat(awaitEnd("waiting-k-0001", Duration.ofSeconds(30)).status()).isEqualTo(RunStatus.SUCCEEDED);
    }

    @Test
    void shouldNeverRunMoreAttemptsThanTheLimitAtOnce() throws Exception {
        crash();
        open(2);
        JobSpec job = TestSpecs.shell("busy", "sleep 1");
        for (int i = 0; i < 5; i++) {
            engine.start("busy-k-000" + i, job, "api", Map.of());
        }

        int most = 0;
        var giveUp = java.time.Instant.now().plusSeconds(30);
        while (engine.list(RunEngine.RunQuery.active("busy")).size() > 0 && java.time.Instant.now().isBefore(giveUp)) {
            most = Math.max(most, engine.runningAttempts());
            Thread.sleep(10);
        }
        for (int i = 0; i < 5; i++) {
            assertThat(awaitEnd("busy-k-000" + i, Duration.ofSeconds(1)).status()).isEqualTo(RunStatus.SUCCEEDED);
        }
        assertThat(most).isEqualTo(2);
        assertThat(engine.runningAttempts()).isZero();
    }
}
