package dev.skiff.orchestrator.port;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skiff.jobs.JobSpec;
import dev.skiff.orchestrator.TestSpecs;
import dev.skiff.orchestrator.domain.ConflictException;
import dev.skiff.orchestrator.domain.NotFoundException;
import dev.skiff.orchestrator.port.RunEngine.RunQuery;
import dev.skiff.workflows.Run;
import dev.skiff.workflows.RunIds;
import dev.skiff.workflows.RunStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * What every RunEngine must do, whatever it runs on: the embedded engine, and Step Functions on moto. Run ids are
 * made by {@link RunIds}, as every run id Skiff starts is (Step Functions reads the job from it). Subclasses give
 * an engine that is running (its loops started, or whatever answers its steps) and whose tasks run real shell commands.
 * Runs start through {@link #start}, so a subclass can do what its runtime does before a start.
 */
public abstract class RunEngineContract {

    protected abstract RunEngine engine();

    /**
     * Starts a run of a job as the dispatcher does. A subclass may override it to register the job first (as the job
     * registry holds every job before its runs start), then must call {@code engine().start} once.
     */
    protected RunEngine.Started start(String runId, JobSpec job, String trigger, Map<String, String> parameters) {
        return engine().start(runId, job, trigger, parameters);
    }

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
        String runId = RunIds.idempotencyKey("ok", "0001");

        // When a run starts
        var started = start(runId, job, "api", Map.of());

        // Then it is created, and ends SUCCEEDED with exit code 0
        assertThat(started.created()).isTrue();
        Run run = awaitEnd(runId, Duration.ofSeconds(20));
        assertThat(run.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(run.attempts()).singleElement().satisfies(a -> assertThat(a.exitCode()).contains(0));
    }

    @Test
    void shouldStartOneRunWhenTheSameRunIdComesTwice() throws Exception {
        // Given a job
        JobSpec job = TestSpecs.shell("twice", "true");
        String runId = RunIds.event("twice", "test.source", "0001");

        // When the same run id starts twice at once (two replicas taking the same event, say), and again after it ended
        var first = start(runId, job, "event", Map.of());
        var second = start(runId, job, "event", Map.of());
        Run ended = awaitEnd(runId, Duration.ofSeconds(20));
        var late = start(runId, job, "event", Map.of());

        // Then one run ran, once; the late start changed nothing and said so. (Whether the start at once says
        // created is not promised: Step Functions answers a repeat within a second as it answered the first.)
        assertThat(first.created()).isTrue();
        assertThat(second.run().runId()).isEqualTo(runId);
        assertThat(ended.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(ended.attempts()).hasSize(1);
        assertThat(late.created()).isFalse();
        assertThat(late.run().status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(engine().list(new RunQuery(Optional.of("twice"), Set.of(), Optional.empty(), 10)))
                .singleElement().satisfies(run -> assertThat(run.runId()).isEqualTo(runId));
    }

    @Test
    void shouldApplyTriggerAndStatusFiltersBeforeTheLimitWhenNewerRunsDoNotMatch() throws Exception {
        // Given a job's cron run that succeeded, then an api run that succeeded, then an api run that failed
        JobSpec job = TestSpecs.shell("filtered", "exit $CODE", """
                retries: {maxAttempts: 1}
                parameters:
                  CODE: {required: true}""");
        String cron = RunIds.cron("filtered", Instant.parse("2026-11-26T02:00:00Z"));
        String succeeded = RunIds.idempotencyKey("filtered", "0001");
        String failed = RunIds.idempotencyKey("filtered", "0002");
        start(cron, job, "cron", Map.of("CODE", "0"));
        awaitEnd(cron, Duration.ofSeconds(20));
        start(succeeded, job, "api", Map.of("CODE", "0"));
        awaitEnd(succeeded, Duration.ofSeconds(20));
        start(failed, job, "api", Map.of("CODE", "3"));
        awaitEnd(failed, Duration.ofSeconds(20));

        // When the newest cron run, and the newest succeeded run, are asked for (one run each)
        var newestCron = engine().list(new RunQuery(Optional.of("filtered"), Set.of(), Optional.of("cron"), 1));
        var newestSucceeded = engine().list(new RunQuery(Optional.of("filtered"), Set.of(RunStatus.SUCCEEDED), Optional.empty(), 1));

        // Then each is found behind the newer runs that do not match: filters apply before the limit
        assertThat(newestCron).extracting(Run::runId).containsExactly(cron);
        assertThat(newestSucceeded).extracting(Run::runId).containsExactly(succeeded);
    }

    @Test
    void shouldGiveTheNewestRunOfEachJobByTriggerWhenAskedForManyJobsAtOnce() throws Exception {
        // Given two cron runs of one job then an api run of it, a cron run of another, and a job with an api run only
        JobSpec first = TestSpecs.shell("newest-a", "true");
        JobSpec second = TestSpecs.shell("newest-b", "true");
        JobSpec third = TestSpecs.shell("newest-c", "true");
        String older = RunIds.cron("newest-a", Instant.parse("2026-11-26T02:00:00Z"));
        String newer = RunIds.cron("newest-a", Instant.parse("2026-11-26T03:00:00Z"));
        String other = RunIds.cron("newest-b", Instant.parse("2026-11-26T02:00:00Z"));
        record Started(String runId, JobSpec job, String trigger) {
        }
        for (var run : java.util.List.of(new Started(older, first, "cron"), new Started(newer, first, "cron"),
                new Started(RunIds.idempotencyKey("newest-a", "1"), first, "api"), new Started(other, second, "cron"),
                new Started(RunIds.idempotencyKey("newest-c", "1"), third, "api"))) {
            start(run.runId(), run.job(), run.trigger(), Map.of());
            awaitEnd(run.runId(), Duration.ofSeconds(20));
        }

        // When the newest cron runs of the three jobs are asked for
        var newest = engine().newestRuns(java.util.List.of("newest-a", "newest-b", "newest-c"), "cron");

        // Then each job with a cron run has its newest one's creation time; the job without any is left out
        assertThat(newest).containsOnlyKeys("newest-a", "newest-b");
        assertThat(newest.get("newest-a")).isEqualTo(engine().get(newer).orElseThrow().createdAt());
        assertThat(newest.get("newest-b")).isEqualTo(engine().get(other).orElseThrow().createdAt());
    }

    @Test
    void shouldListTheNewestRunsOfTheNamedJobsOnlyAsOneList() throws Exception {
        // Given runs of three jobs, one after another: a, b, c, then a again
        JobSpec a = TestSpecs.shell("among-a", "true");
        JobSpec b = TestSpecs.shell("among-b", "true");
        JobSpec c = TestSpecs.shell("among-c", "true");
        List<String> started = new java.util.ArrayList<>();
        int n = 0;
        for (JobSpec job : List.of(a, b, c, a)) {
            String runId = RunIds.idempotencyKey(job.name(), String.valueOf(n++));
            start(runId, job, "api", Map.of());
            awaitEnd(runId, Duration.ofSeconds(20));
            started.add(runId);
        }

        // When the newest two runs of a and b are listed, and the runs of no job
        var newest = engine().listAmong(List.of("among-a", "among-b"), new RunQuery(Optional.empty(), Set.of(), Optional.empty(), 2));
        var none = engine().listAmong(List.of(), new RunQuery(Optional.empty(), Set.of(), Optional.empty(), 10));

        // Then a's second run and b's run come, newest first, and c's (newer than b's) does not; no job lists nothing
        assertThat(newest).extracting(Run::runId).containsExactly(started.get(3), started.get(1));
        assertThat(none).isEmpty();
    }

    @Test
    void shouldTellWhetherARunExistsInAnyStatus() throws Exception {
        // Given a run that ended, and a run id never started
        JobSpec job = TestSpecs.shell("known", "true");
        start(RunIds.idempotencyKey("known", "0001"), job, "api", Map.of());
        awaitEnd(RunIds.idempotencyKey("known", "0001"), Duration.ofSeconds(20));

        // When each is looked for, then the ended run exists and the other does not (nor does an id that is no run id)
        assertThat(engine().exists(RunIds.idempotencyKey("known", "0001"))).isTrue();
        assertThat(engine().exists(RunIds.idempotencyKey("known", "0002"))).isFalse();
        assertThat(engine().exists("not a run id")).isFalse();
    }

    @Test
    void shouldGiveTheIdsOfTheJobsRunsThatHaveNotEndedNewestFirst() throws Exception {
        // Given a job with a run that ended and two running ones, and another job with a running run
        JobSpec job = TestSpecs.shell("busy", "test \"$MODE\" = quick || sleep 60", """
                parameters:
                  MODE: {required: true}""");
        JobSpec other = TestSpecs.shell("bystander", "sleep 60");
        start(RunIds.idempotencyKey("busy", "0001"), job, "api", Map.of("MODE", "quick"));
        awaitEnd(RunIds.idempotencyKey("busy", "0001"), Duration.ofSeconds(20));
        start(RunIds.idempotencyKey("busy", "0002"), job, "api", Map.of("MODE", "wait"));
        awaitStatus(RunIds.idempotencyKey("busy", "0002"), RunStatus.RUNNING, Duration.ofSeconds(20));
        Thread.sleep(1100); // start dates of two runs a second apart order them on any engine
        start(RunIds.idempotencyKey("busy", "0003"), job, "api", Map.of("MODE", "wait"));
        start(RunIds.idempotencyKey("bystander", "0001"), other, "api", Map.of());
        awaitStatus(RunIds.idempotencyKey("busy", "0003"), RunStatus.RUNNING, Duration.ofSeconds(20));

        // When the job's active runs are asked for, all of them and at most one
        var all = engine().activeRunIds("busy", 10);
        var newest = engine().activeRunIds("busy", 1);
        engine().cancel(RunIds.idempotencyKey("busy", "0002"), "done looking");
        engine().cancel(RunIds.idempotencyKey("busy", "0003"), "done looking");
        engine().cancel(RunIds.idempotencyKey("bystander", "0001"), "done looking");
        awaitEnd(RunIds.idempotencyKey("busy", "0002"), Duration.ofSeconds(30));
        awaitEnd(RunIds.idempotencyKey("busy", "0003"), Duration.ofSeconds(30));
        // Its task gone too, so nothing still writes where the test's files are removed
        awaitEnd(RunIds.idempotencyKey("bystander", "0001"), Duration.ofSeconds(30));

        // Then only the running runs of that job are named, newest first, the limit applies, and ended runs drop out
        assertThat(all).containsExactly(RunIds.idempotencyKey("busy", "0003"), RunIds.idempotencyKey("busy", "0002"));
        assertThat(newest).containsExactly(RunIds.idempotencyKey("busy", "0003"));
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
        String runId = RunIds.idempotencyKey("fails", "0001");

        start(runId, job, "api", Map.of());

        Run run = awaitEnd(runId, Duration.ofSeconds(30));
        assertThat(run.status()).isEqualTo(RunStatus.FAILED);
        assertThat(run.error()).contains("Skiff.ExitCode.3");
        assertThat(run.attempts()).hasSize(2).allSatisfy(a -> assertThat(a.exitCode()).contains(3));
    }

    @Test
    void shouldPassParametersAsEnvironmentVariables() throws Exception {
        JobSpec job = TestSpecs.shell("params", "test \"$DAY\" = 2026-11-26", """
                parameters:
                  DAY: {required: true}""");
        String runId = RunIds.idempotencyKey("params", "0001");

        start(runId, job, "api", Map.of("DAY", "2026-11-26"));

        assertThat(awaitEnd(runId, Duration.ofSeconds(20)).status()).isEqualTo(RunStatus.SUCCEEDED);
    }

    @Test
    void shouldEndTimedOutWhenTheCommandRunsPastTheTimeout() throws Exception {
        JobSpec job = TestSpecs.shell("slow", "sleep 60", "timeout: 1s");
        String runId = RunIds.idempotencyKey("slow", "0001");

        start(runId, job, "api", Map.of());

        Run run = awaitEnd(runId, Duration.ofSeconds(30));
        assertThat(run.status()).isEqualTo(RunStatus.TIMED_OUT);
        assertThat(run.error()).contains("Skiff.Timeout");
        assertThat(Duration.between(run.createdAt(), run.endedAt().orElseThrow())).isLessThan(Duration.ofSeconds(20));
    }

    @Test
    void shouldStopTheTaskWhenARunningRunIsCancelled() throws Exception {
        JobSpec job = TestSpecs.shell("cancel-me", "sleep 60");
        String runId = RunIds.idempotencyKey("cancel-me", "0001");
        start(runId, job, "api", Map.of());
        awaitStatus(runId, RunStatus.RUNNING, Duration.ofSeconds(20));

        engine().cancel(runId, "test cancel");

        Run run = awaitEnd(runId, Duration.ofSeconds(30));
        assertThat(run.status()).isEqualTo(RunStatus.CANCELLED);
        assertThat(run.cause()).contains("test cancel");
    }

    @Test
    void shouldRefuseToCancelARunThatEnded() throws Exception {
        JobSpec job = TestSpecs.shell("done", "true");
        String runId = RunIds.idempotencyKey("done", "0001");
        start(runId, job, "api", Map.of());
        awaitEnd(runId, Duration.ofSeconds(20));

        assertThatThrownBy(() -> engine().cancel(runId, "late")).isInstanceOf(ConflictException.class)
                .hasMessageContaining("already ended SUCCEEDED");
        assertThatThrownBy(() -> engine().cancel(RunIds.idempotencyKey("nope", "0001"), "late")).isInstanceOf(NotFoundException.class);
    }
}
