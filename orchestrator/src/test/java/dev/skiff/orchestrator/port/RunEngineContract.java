package dev.skiff.orchestrator.port;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skiff.jobs.JobSpec;
import dev.skiff.orchestrator.TestSpecs;
import dev.skiff.orchestrator.domain.ConflictException;
import dev.skiff.orchestrator.domain.NotFoundException;
import dev.skiff.orchestrator.port.RunEngine.RunQuery;
import dev.skiff.workflows.Run;
import dev.skiff.workflows.RunStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * What every RunEngine must do, whatever it runs on. Subclasses give an engine that is running
 * (its loops started) and whose tasks run real shell commands.
 */
public abstract class RunEngineContract {

    protected abstract RunEngine engine();

    protected Run awaitEnd(String runId, Duration timeout) throws InterruptedException {
        Instant giveUp = Instant.now().plus(timeout);
        while (Instant.now().isBefore(giveUp)) {
            Run run = engine().get(runId).orElseThrow();
            if (run.status().isTerminal()) {
                return run;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("run " + runId + " did not end within " + timeout + ": " + engine().get(runId));
    }

    protected Run awaitStatus(String runId, RunStatus status, Duration timeout) throws InterruptedException {
        Instant giveUp = Instant.now().plus(timeout);
        while (Instant.now().isBefore(giveUp)) {
            Run run = engine().get(runId).orElseThrow();
            if (run.status() == status) {
                return run;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("run " + runId + " never reached " + status + ": " + engine().get(runId));
    }

    @Test
    void shouldSucceedWhenTheCommandExitsZero() throws Exception {
        // Given a job whose command succeeds
        JobSpec job = TestSpecs.shell("ok", "echo hello from $SKIFF_RUN_ID");

        // When a run starts
        var started = engine().start("ok-k-0001", job, "api", Map.of());

        // Then it is created, and ends SUCCEEDED with exit code 0
        assertThat(started.created()).isTrue();
        Run run = awaitEnd("ok-k-0001", Duration.ofSeconds(20));
        assertThat(run.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(run.attempts()).singleElement().satisfies(a -> assertThat(a.exitCode()).contains(0));
    }

    @Test
    void shouldStartOneRunWhenTheSameRunIdComesTwice() throws Exception {
        JobSpec job = TestSpecs.shell("twice", "true");

        var first = engine().start("twice-e-0001", job, "event", Map.of());
        var second = engine().start("twice-e-0001", job, "event", Map.of());

        assertThat(first.created()).isTrue();
        assertThat(second.created()).isFalse();
        awaitEnd("twice-e-0001", Duration.ofSeconds(20));
        assertThat(engine().list(new RunQuery(Optional.of("twice"), Set.of(), Optional.empty(), 10))).hasSize(1);
    }

    @Test
    void shouldApplyTriggerAndStatusFiltersBeforeTheLimitWhenNewerRunsDoNotMatch() throws Exception {
        // Given a job's cron run that succeeded, then an api run that succeeded, then an api run that failed
        JobSpec job = TestSpecs.shell("filtered", "exit $CODE", """
                retries: {maxAttempts: 1}
                parameters:
                  CODE: {required: true}""");
        engine().start("filtered-c-20261126T020000", job, "cron", Map.of("CODE", "0"));
        awaitEnd("filtered-c-20261126T020000", Duration.ofSeconds(20));
        engine().start("filtered-k-0001", job, "api", Map.of("CODE", "0"));
        awaitEnd("filtered-k-0001", Duration.ofSeconds(20));
        engine().start("filtered-k-0002", job, "api", Map.of("CODE", "3"));
        awaitEnd("filtered-k-0002", Duration.ofSeconds(20));

        // When the newest cron run, and the newest succeeded run, are asked for (one run each)
        var newestCron = engine().list(new RunQuery(Optional.of("filtered"), Set.of(), Optional.of("cron"), 1));
        var newestSucceeded = engine().list(new RunQuery(Optional.of("filtered"), Set.of(RunStatus.SUCCEEDED), Optional.empty(), 1));

        // Then each is found behind the newer runs that do not match: filters apply before the limit
        assertThat(newestCron).extracting(Run::runId).containsExactly("filtered-c-20261126T020000");
        assertThat(newestSucceeded).extracting(Run::runId).containsExactly("filtered-k-0001");
    }

    @Test
    void shouldTellWhetherARunExistsInAnyStatus() throws Exception {
        // Given a run that ended, and a run id never started
        JobSpec job = TestSpecs.shell("known", "true");
        engine().start("known-k-0001", job, "api", Map.of());
        awaitEnd("known-k-0001", Duration.ofSeconds(20));

        // When each is looked for, then the ended run exists and the other does not (nor does an id that is no run id)
        assertThat(engine().exists("known-k-0001")).isTrue();
        assertThat(engine().exists("known-k-0002")).isFalse();
        assertThat(engine().exists("not a run id")).isFalse();
    }

    @Test
    void shouldGiveTheIdsOfTheJobsRunsThatHaveNotEndedNewestFirst() throws Exception {
        // Given a job with a run that ended and two running ones, and another job with a running run
        JobSpec job = TestSpecs.shell("busy", "test \"$MODE\" = quick || sleep 60", """
                parameters:
                  MODE: {required: true}""");
        JobSpec other = TestSpecs.shell("bystander", "sleep 60");
        engine().start("busy-k-0001", job, "api", Map.of("MODE", "quick"));
        awaitEnd("busy-k-0001", Duration.ofSeconds(20));
        engine().start("busy-k-0002", job, "api", Map.of("MODE", "wait"));
        awaitStatus("busy-k-0002", RunStatus.RUNNING, Duration.ofSeconds(20));
        Thread.sleep(1100); // start dates of two runs a second apart order them on any engine
        engine().start("busy-k-0003", job, "api", Map.of("MODE", "wait"));
        engine().start("bystander-k-0001", other, "api", Map.of());
        awaitStatus("busy-k-0003", RunStatus.RUNNING, Duration.ofSeconds(20));

        // When the job's active runs are asked for, all of them and at most one
        var all = engine().activeRunIds("busy", 10);
        var newest = engine().activeRunIds("busy", 1);
        engine().cancel("busy-k-0002", "done looking");
        engine().cancel("busy-k-0003", "done looking");
        engine().cancel("bystander-k-0001", "done looking");
        awaitEnd("busy-k-0002", Duration.ofSeconds(30));
        awaitEnd("busy-k-0003", Duration.ofSeconds(30));

        // Then only the running runs of that job are named, newest first, the limit applies, and ended runs drop out
        assertThat(all).containsExactly("busy-k-0003", "busy-k-0002");
        assertThat(newest).containsExactly("busy-k-0003");
        assertThat(engine().activeRunIds("busy", 10)).isEmpty();
        assertThat(engine().activeRunIds("nobody", 10)).isEmpty();
    }

    @Test
    void shouldFailWithTheExitCodeWhenRetriesAreExhausted() throws Exception {
        JobSpec job = TestSpecs.shell("fails", "exit 3", """
                retries:
                  maxAttempts: 2
                  backoff: {interval: 1s}
                  retryOn: [exit-code]""");

        engine().start("fails-k-0001", job, "api", Map.of());

        Run run = awaitEnd("fails-k-0001", Duration.ofSeconds(30));
        assertThat(run.status()).isEqualTo(RunStatus.FAILED);
        assertThat(run.error()).contains("Skiff.ExitCode.3");
        assertThat(run.attempts()).hasSize(2).allSatisfy(a -> assertThat(a.exitCode()).contains(3));
    }

    @Test
    void shouldPassParametersAsEnvironmentVariables() throws Exception {
        JobSpec job = TestSpecs.shell("params", "test \"$DAY\" = 2026-11-26", """
                parameters:
                  DAY: {required: true}""");

        engine().start("params-k-0001", job, "api", Map.of("DAY", "2026-11-26"));

        assertThat(awaitEnd("params-k-0001", Duration.ofSeconds(20)).status()).isEqualTo(RunStatus.SUCCEEDED);
    }

    @Test
    void shouldEndTimedOutWhenTheCommandRunsPastTheTimeout() throws Exception {
        JobSpec job = TestSpecs.shell("slow", "sleep 60", "timeout: 1s");

        engine().start("slow-k-0001", job, "api", Map.of());

        Run run = awaitEnd("slow-k-0001", Duration.ofSeconds(30));
        assertThat(run.status()).isEqualTo(RunStatus.TIMED_OUT);
        assertThat(run.error()).contains("Skiff.Timeout");
        assertThat(Duration.between(run.createdAt(), run.endedAt().orElseThrow())).isLessThan(Duration.ofSeconds(20));
    }

    @Test
    void shouldStopTheTaskWhenARunningRunIsCancelled() throws Exception {
        JobSpec job = TestSpecs.shell("cancel-me", "sleep 60");
        engine().start("cancel-me-k-0001", job, "api", Map.of());
        awaitStatus("cancel-me-k-0001", RunStatus.RUNNING, Duration.ofSeconds(20));

        engine().cancel("cancel-me-k-0001", "test cancel");

        Run run = awaitEnd("cancel-me-k-0001", Duration.ofSeconds(30));
        assertThat(run.status()).isEqualTo(RunStatus.CANCELLED);
        assertThat(run.cause()).contains("test cancel");
    }

    @Test
    void shouldRefuseToCancelARunThatEnded() throws Exception {
        JobSpec job = TestSpecs.shell("done", "true");
        engine().start("done-k-0001", job, "api", Map.of());
        awaitEnd("done-k-0001", Duration.ofSeconds(20));

        assertThatThrownBy(() -> engine().cancel("done-k-0001", "late")).isInstanceOf(ConflictException.class)
                .hasMessageContaining("already ended SUCCEEDED");
        assertThatThrownBy(() -> engine().cancel("nope-k-0001", "late")).isInstanceOf(NotFoundException.class);
    }
}
