package dev.skiff.orchestrator.adapter.sfn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skiff.jobs.JobSpec;
import dev.skiff.orchestrator.TestSpecs;
import dev.skiff.orchestrator.domain.ConflictException;
import dev.skiff.orchestrator.domain.NotFoundException;
import dev.skiff.orchestrator.port.RunEngine.RunQuery;
import dev.skiff.testing.SettableClock;
import dev.skiff.workflows.Run;
import dev.skiff.workflows.RunIds;
import dev.skiff.workflows.RunStatus;
import dev.skiff.workflows.StepOutcome;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/** Runs as executions on moto's Step Functions (execution on), through the real SDK. */
class StepFunctionsRunEngineTest {

    private static final Duration WITHIN = Duration.ofSeconds(20);

    private static SfnClient sfn;
    private static SqsClient sqs;

    private String queue;
    private StateMachines machines;
    private final List<String> cancelled = new ArrayList<>();
    private StepFunctionsRunEngine engine;

    @BeforeAll
    static void clients() {
        sfn = MotoStepFunctions.sfn();
        sqs = MotoStepFunctions.sqs();
    }

    @AfterAll
    static void close() {
        sfn.close();
        sqs.close();
    }

    @BeforeEach
    void engine() {
        queue = MotoStepFunctions.dispatchQueue(sqs);
        machines = new StateMachines(sfn, StateMachineOptions.of(MotoStepFunctions.ROLE_ARN, queue));
        engine = new StepFunctionsRunEngine(sfn, machines, (runId, reason) -> cancelled.add(runId + ": " + reason),
                name -> Optional.empty(), MotoStepFunctions.taskRecords(), Clock.systemUTC());
    }

    /** Answers as the dispatcher does, once moto can read it: see MotoStepFunctions. */
    private TaskTokens.Delivery answer(String runId, String token, StepOutcome outcome) throws InterruptedException {
        return MotoStepFunctions.answer(sfn, token, outcome, TaskAnswerTest.TASK,
                () -> !engine.get(runId).orElseThrow().status().isTerminal(), WITHIN);
    }

    @Test
    void shouldStartOneExecutionNamedByTheRunIdWhenTheSameRunIdStartsTwice() throws Exception {
        // Given a job and a run id
        JobSpec job = TestSpecs.shell(MotoStepFunctions.jobName("twice"), "true");
        String runId = RunIds.idempotencyKey(job.name(), "key-1");

        // When the run starts twice, the second time after the first start's date is clearly past
        var first = engine.start(runId, job, "api", Map.of("DAY", "2026-11-26"));
        Thread.sleep(StepFunctionsRunEngine.SAME_START.toMillis() + 200);
        var second = engine.start(runId, job, "api", Map.of("DAY", "2026-11-26"));
        // ... and a third time at once (two replicas starting the same cron fire, say)
        var third = engine.start(runId, job, "api", Map.of("DAY", "2026-11-26"));

        // Then one execution runs, with the run's parameters as its input, and the later starts changed nothing
        assertThat(first.created()).isTrue();
        assertThat(second.created()).isFalse();
        assertThat(third.created()).isFalse();
        assertThat(first.run().runId()).isEqualTo(runId);
        assertThat(first.run().status()).isEqualTo(RunStatus.RUNNING);
        String machine = machines.arnOf(job.name()).orElseThrow();
        assertThat(sfn.listExecutions(r -> r.stateMachineArn(machine)).executions()).singleElement()
                .satisfies(e -> assertThat(e.name()).isEqualTo(runId));
        var request = MotoStepFunctions.nextLaunchRequest(sqs, queue, WITHIN);
        assertThat(request.path("runId").asText()).isEqualTo(runId);
        assertThat(request.path("job").asText()).isEqualTo(job.name());
        assertThat(request.path("attempt").asInt()).isZero();
        assertThat(request.path("parameters").path("DAY").asText()).isEqualTo("2026-11-26");
        assertThat(request.path("taskToken").asText()).isNotBlank();
    }

    @Test
    void shouldTellARepeatStartByTheEnginesClockWhenTheClockSaysTheFirstStartIsPast() throws Exception {
        // Given an engine whose clock the test moves, and a run it started
        SettableClock clock = new SettableClock(Instant.now());
        var timed = new StepFunctionsRunEngine(sfn, machines, CancelledExecutions.NONE, name -> Optional.empty(),
                MotoStepFunctions.taskRecords(), clock);
        JobSpec job = TestSpecs.shell(MotoStepFunctions.jobName("clocked"), "true");
        String runId = RunIds.idempotencyKey(job.name(), "clocked");
        var first = timed.start(runId, job, "api", Map.of());

        // When the same run id starts again at once, by real time, but after the first start by the engine's clock
        clock.advance(StepFunctionsRunEngine.SAME_START.plusSeconds(1));
        var again = timed.start(runId, job, "api", Map.of());

        // Then the engine's clock, not the system's, told the repeat apart: nothing was created the second time
        assertThat(first.created()).isTrue();
        assertThat(again.created()).isFalse();
        assertThat(again.run().runId()).isEqualTo(runId);
    }

    @Test
    void shouldNotStartAgainWhenTheRunIdEndedBefore() throws Exception {
        // Given a run that ended
        JobSpec job = TestSpecs.shell(MotoStepFunctions.jobName("ended"), "true");
        String runId = RunIds.idempotencyKey(job.name(), "key-ended");
        engine.start(runId, job, "api", Map.of());
        String token = MotoStepFunctions.nextLaunchRequest(sqs, queue, WITHIN).path("taskToken").asText();
        answer(runId, token, new StepOutcome.Succeeded());
        MotoStepFunctions.awaitStatus(() -> engine.get(runId).orElseThrow().status(), RunStatus.SUCCEEDED, WITHIN);

        // When the same run id starts again
        var again = engine.start(runId, job, "api", Map.of());

        // Then nothing starts: the ended run is the answer
        assertThat(again.created()).isFalse();
        assertThat(again.run().status()).isEqualTo(RunStatus.SUCCEEDED);
    }

    @Test
    void shouldGetTheRunWithItsParametersAndTriggerWhenItExists() {
        // Given a cron run of a job
        JobSpec job = TestSpecs.shell(MotoStepFunctions.jobName("get"), "true");
        String runId = RunIds.cron(job.name(), java.time.Instant.parse("2026-11-26T02:00:00Z"));
        engine.start(runId, job, "cron", Map.of("A", "1", "B", "two"));

        // When it is read by its id alone (as another replica would, with nothing cached)
        var replica = new StepFunctionsRunEngine(sfn, new StateMachines(sfn, StateMachineOptions.of(MotoStepFunctions.ROLE_ARN, queue)),
                CancelledExecutions.NONE, name -> Optional.empty(), MotoStepFunctions.taskRecords(), Clock.systemUTC());
        Run run = replica.get(runId).orElseThrow();

        // Then it carries the job, the trigger the id names, the parameters and the status
        assertThat(run.job()).isEqualTo(job.name());
        assertThat(run.trigger()).isEqualTo("cron");
        assertThat(run.parameters()).containsExactlyInAnyOrderEntriesOf(Map.of("A", "1", "B", "two"));
        assertThat(run.status()).isEqualTo(RunStatus.RUNNING);
        assertThat(run.endedAt()).isEmpty();
    }

    @Test
    void shouldGetNothingWhenTheRunIsUnknown() {
        // Given a registered job without runs
        JobSpec job = TestSpecs.shell(MotoStepFunctions.jobName("none"), "true");
        machines.register(job);

        // When runs that do not exist are read, and a text that is no run id
        // Then none is found
        assertThat(engine.get(RunIds.idempotencyKey(job.name(), "never"))).isEmpty();
        assertThat(engine.get(RunIds.idempotencyKey(MotoStepFunctions.jobName("nojob"), "never"))).isEmpty();
        assertThat(engine.get("not a run id")).isEmpty();
    }

    @Test
    void shouldListRunsNewestFirstFilteredByStatusAndTriggerWhenAsked() throws Exception {
        // Given three runs of a job, the first of them succeeded
        JobSpec job = TestSpecs.shell(MotoStepFunctions.jobName("list"), "true");
        String done = RunIds.idempotencyKey(job.name(), "one");
        engine.start(done, job, "api", Map.of());
        String token = MotoStepFunctions.nextLaunchRequest(sqs, queue, WITHIN).path("taskToken").asText();
        answer(done, token, new StepOutcome.Succeeded());
        MotoStepFunctions.awaitStatus(() -> engine.get(done).orElseThrow().status(), RunStatus.SUCCEEDED, WITHIN);
        Thread.sleep(1100); // execution start dates have a resolution of a second or so in moto
        String second = RunIds.cron(job.name(), java.time.Instant.parse("2026-11-26T02:00:00Z"));
        engine.start(second, job, "cron", Map.of());
        Thread.sleep(1100);
        String third = RunIds.idempotencyKey(job.name(), "three");
        engine.start(third, job, "api", Map.of());

        // When runs are listed: all, the active ones, the api ones, and the newest only
        List<Run> all = engine.list(new RunQuery(Optional.of(job.name()), Set.of(), Optional.empty(), 10));
        List<Run> active = engine.list(RunQuery.active(job.name()));
        List<Run> api = engine.list(new RunQuery(Optional.of(job.name()), Set.of(), Optional.of("api"), 10));
        List<Run> newest = engine.list(new RunQuery(Optional.empty(), Set.of(), Optional.empty(), 1));

        // Then each holds what was asked for, newest first
        assertThat(all).extracting(Run::runId).containsExactly(third, second, done);
        assertThat(active).extracting(Run::runId).containsExactly(third, second);
        assertThat(api).extracting(Run::runId).containsExactly(third, done);
        assertThat(newest).extracting(Run::runId).containsExactly(third);
    }

    @Test
    void shouldListTheNewestCronRunWhenRunsOfOtherTriggersStartedAfterIt() throws Exception {
        // Given a cron run of a job, then two api runs started after it
        JobSpec job = TestSpecs.shell(MotoStepFunctions.jobName("lastcron"), "true");
        String cron = RunIds.cron(job.name(), Instant.parse("2026-11-26T02:00:00Z"));
        engine.start(cron, job, "cron", Map.of());
        Thread.sleep(1100); // execution start dates have a resolution of a second or so in moto
        engine.start(RunIds.idempotencyKey(job.name(), "one"), job, "api", Map.of());
        Thread.sleep(1100);
        engine.start(RunIds.idempotencyKey(job.name(), "two"), job, "api", Map.of());

        // When the newest cron run is asked for, as the scheduler's catch-up asks (one run)
        List<Run> newestCron = engine.list(new RunQuery(Optional.of(job.name()), Set.of(), Optional.of("cron"), 1));

        // Then the cron run is found: the trigger filter applies before the limit
        assertThat(newestCron).extracting(Run::runId).containsExactly(cron);
    }

    @Test
    void shouldListTimedOutAndCancelledRunsAsTheirDetailShowsThemWhenTheirExecutionsFailed() throws Exception {
        // Given three runs of a job whose steps failed: for a timeout, for a cancel, and with exit code 3
        JobSpec job = TestSpecs.shell(MotoStepFunctions.jobName("failed"), "true", "retries: {maxAttempts: 1}");
        String timedOut = endedRun(job, "timeout", new StepOutcome.TimedOut(), RunStatus.TIMED_OUT);
        String cancelled = endedRun(job, "cancel", new StepOutcome.Cancelled("stopped by hand"), RunStatus.CANCELLED);
        String failed = endedRun(job, "exit", new StepOutcome.Exited(3), RunStatus.FAILED);

        // When the job's runs are listed, without a status and by each status
        List<Run> all = engine.list(new RunQuery(Optional.of(job.name()), Set.of(), Optional.empty(), 10));

        // Then each listed run shows the status its detail (GET /runs/{id}) shows, and each filter finds its own
        assertThat(all).extracting(Run::runId).containsExactly(failed, cancelled, timedOut);
        assertThat(all).allSatisfy(run -> assertThat(run.status()).isEqualTo(engine.get(run.runId()).orElseThrow().status()));
        assertThat(all).extracting(Run::status).containsExactly(RunStatus.FAILED, RunStatus.CANCELLED, RunStatus.TIMED_OUT);
        assertThat(runIds(job, RunStatus.TIMED_OUT)).containsExactly(timedOut);
        assertThat(runIds(job, RunStatus.CANCELLED)).containsExactly(cancelled);
        assertThat(runIds(job, RunStatus.FAILED)).containsExactly(failed);
        assertThat(runIds(job, RunStatus.FAILED, RunStatus.TIMED_OUT)).containsExactly(failed, timedOut);
    }

    @Test
    void shouldPageThroughExecutionsUntilARunMatchesButNoFurtherThanTheBoundWhenFiltering() throws Exception {
        // Given a cron run, then two api runs, listed by an engine reading pages of one execution, at most two a list
        JobSpec job = TestSpecs.shell(MotoStepFunctions.jobName("pages"), "true");
        String cron = RunIds.cron(job.name(), Instant.parse("2026-11-26T02:00:00Z"));
        engine.start(cron, job, "cron", Map.of());
        Thread.sleep(1100);
        engine.start(RunIds.idempotencyKey(job.name(), "one"), job, "api", Map.of());
        CountingSfn counting = new CountingSfn(sfn);
        var paged = new StepFunctionsRunEngine(counting.client, machines, CancelledExecutions.NONE, name -> Optional.empty(),
                MotoStepFunctions.taskRecords(), Clock.systemUTC(), new ExecutionListing.Bounds(1, 2, 10));
        RunQuery newestCron = new RunQuery(Optional.of(job.name()), Set.of(), Optional.of("cron"), 1);

        // When the newest cron run is asked for while it is on the second page
        List<Run> within = paged.list(newestCron);
        int pagesWithin = counting.calls("listExecutions");
        // ... and once a third page would be needed
        Thread.sleep(1100);
        engine.start(RunIds.idempotencyKey(job.name(), "two"), job, "api", Map.of());
        counting.reset();
        List<Run> beyond = paged.list(newestCron);

        // Then the second page (read with the first one's nextToken) found it, and the bound stopped the list at two pages
        assertThat(within).extracting(Run::runId).containsExactly(cron);
        assertThat(pagesWithin).isEqualTo(2);
        assertThat(beyond).isEmpty();
        assertThat(counting.calls("listExecutions")).isEqualTo(2);
    }

    @Test
    void shouldNotReadFurtherPagesOfAJobWhoseExecutionsAreOlderThanTheRunsAlreadyFoundWhenListingAcrossJobs()
            throws Exception {
        // Given a job with a cron run and then two api runs, and another job with a cron run after all of them
        JobSpec older = TestSpecs.shell(MotoStepFunctions.jobName("older"), "true");
        JobSpec newer = TestSpecs.shell(MotoStepFunctions.jobName("newer"), "true");
        engine.start(RunIds.cron(older.name(), Instant.parse("2026-11-26T02:00:00Z")), older, "cron", Map.of());
        for (String key : List.of("one", "two")) {
            Thread.sleep(1100);
            engine.start(RunIds.idempotencyKey(older.name(), key), older, "api", Map.of());
        }
        Thread.sleep(1100);
        String newest = RunIds.cron(newer.name(), Instant.parse("2026-11-26T03:00:00Z"));
        engine.start(newest, newer, "cron", Map.of());
        CountingSfn counting = new CountingSfn(sfn);
        var listing = new ExecutionListing(counting.client, new ExecutionListing.Bounds(1, 10, 10));
        Map<String, String> newerFirst = new java.util.LinkedHashMap<>();
        newerFirst.put(newer.name(), machines.arnOf(newer.name()).orElseThrow());
        newerFirst.put(older.name(), machines.arnOf(older.name()).orElseThrow());

        // When the newest cron run of both jobs is listed, a page of one execution at a time, the newer job first
        List<Run> listed = listing.list(newerFirst, new RunQuery(Optional.empty(), Set.of(), Optional.of("cron"), 1));

        // Then the newer job's run is the answer, and the older job's first page (an api run older than it) ended
        // the older job's reading: its cron run, two pages further, could not be newer
        assertThat(listed).extracting(Run::runId).containsExactly(newest);
        assertThat(counting.calls("listExecutions")).isEqualTo(2);
    }

    @Test
    void shouldDescribeEachFailedExecutionOnceAndNoMoreThanTheBoundWhenListing() throws Exception {
        // Given a timed-out run, a run that failed with exit code 3 after it, and a succeeded one after both
        JobSpec job = TestSpecs.shell(MotoStepFunctions.jobName("described"), "true", "retries: {maxAttempts: 1}");
        String timedOut = endedRun(job, "timeout", new StepOutcome.TimedOut(), RunStatus.TIMED_OUT);
        String failed = endedRun(job, "exit", new StepOutcome.Exited(3), RunStatus.FAILED);
        String succeeded = endedRun(job, "ok", new StepOutcome.Succeeded(), RunStatus.SUCCEEDED);
        CountingSfn counting = new CountingSfn(sfn);
        var bounded = new StepFunctionsRunEngine(counting.client, machines, CancelledExecutions.NONE, name -> Optional.empty(),
                MotoStepFunctions.taskRecords(), Clock.systemUTC(), new ExecutionListing.Bounds(1000, 10, 1));
        RunQuery timedOutRuns = new RunQuery(Optional.of(job.name()), Set.of(RunStatus.TIMED_OUT), Optional.empty(), 10);
        RunQuery all = new RunQuery(Optional.of(job.name()), Set.of(), Optional.empty(), 10);

        // When timed-out runs are listed by an engine that may describe one failed execution a list, twice
        List<Run> first = bounded.list(timedOutRuns);
        List<Run> second = bounded.list(timedOutRuns);
        int describedForFilters = counting.calls("describeExecution");
        // ... and all runs are listed, twice
        counting.reset();
        List<Run> everything = bounded.list(all);
        bounded.list(all);

        // Then the first list stopped at its one describe (the newer failed run), the second found the timed-out run
        // with its one describe, and listing everything described nothing again: a failed execution never changes
        assertThat(first).isEmpty();
        assertThat(second).extracting(Run::runId).containsExactly(timedOut);
        assertThat(describedForFilters).isEqualTo(2);
        assertThat(everything).extracting(Run::runId, Run::status).containsExactly(
                org.assertj.core.groups.Tuple.tuple(succeeded, RunStatus.SUCCEEDED),
                org.assertj.core.groups.Tuple.tuple(failed, RunStatus.FAILED),
                org.assertj.core.groups.Tuple.tuple(timedOut, RunStatus.TIMED_OUT));
        assertThat(counting.calls("describeExecution")).isZero();
    }

    /** Starts a run and answers its step with the outcome; returns its id once its detail shows the status. */
    private String endedRun(JobSpec job, String key, StepOutcome outcome, RunStatus status) throws Exception {
        String runId = RunIds.idempotencyKey(job.name(), key);
        engine.start(runId, job, "api", Map.of());
        var request = MotoStepFunctions.nextLaunchRequest(sqs, queue, WITHIN);
        while (!request.path("runId").asText().equals(runId)) { // a request an earlier run's step sent again
            request = MotoStepFunctions.nextLaunchRequest(sqs, queue, WITHIN);
        }
        assertThat(answer(runId, request.path("taskToken").asText(), outcome)).isEqualTo(TaskTokens.Delivery.DELIVERED);
        MotoStepFunctions.awaitStatus(() -> engine.get(runId).orElseThrow().status(), status, WITHIN);
        Thread.sleep(1100); // the next run starts a second later, so the newest-first order is known
        return runId;
    }

    private List<String> runIds(JobSpec job, RunStatus... statuses) {
        return engine.list(new RunQuery(Optional.of(job.name()), Set.of(statuses), Optional.empty(), 10)).stream()
                .map(Run::runId).toList();
    }

    @Test
    void shouldStopTheExecutionAndHandTheRunToTheTaskSideWhenARunningRunIsCancelled() throws Exception {
        // Given a running run whose step waits for its task
        JobSpec job = TestSpecs.shell(MotoStepFunctions.jobName("cancel"), "true");
        String runId = RunIds.idempotencyKey(job.name(), "cancel");
        engine.start(runId, job, "api", Map.of());
        MotoStepFunctions.nextLaunchRequest(sqs, queue, WITHIN);

        // When it is cancelled
        Run returned = engine.cancel(runId, "not needed today");

        // Then StopExecution was accepted and the task side heard of the run. Moto 5.2.5 leaves an execution
        // that waits for a task token RUNNING after StopExecution (and records nothing in its history), so the
        // run shows CANCELLED on AWS and may still show RUNNING here.
        assertThat(cancelled).containsExactly(runId + ": not needed today");
        assertThat(returned.runId()).isEqualTo(runId);
        assertThat(returned.status()).isIn(RunStatus.CANCELLED, RunStatus.RUNNING);
    }

    @Test
    void shouldRefuseToCancelWhenTheRunEndedOrIsUnknown() throws Exception {
        // Given a run that succeeded
        JobSpec job = TestSpecs.shell(MotoStepFunctions.jobName("nocancel"), "true");
        String runId = RunIds.idempotencyKey(job.name(), "ended");
        engine.start(runId, job, "api", Map.of());
        String token = MotoStepFunctions.nextLaunchRequest(sqs, queue, WITHIN).path("taskToken").asText();
        answer(runId, token, new StepOutcome.Succeeded());
        MotoStepFunctions.awaitStatus(() -> engine.get(runId).orElseThrow().status(), RunStatus.SUCCEEDED, WITHIN);

        // When it, and a run that never existed, are cancelled
        // Then both are refused, and no task is asked to stop
        assertThatThrownBy(() -> engine.cancel(runId, "too late")).isInstanceOf(ConflictException.class)
                .hasMessageContaining(runId).hasMessageContaining("SUCCEEDED");
        assertThatThrownBy(() -> engine.cancel(RunIds.idempotencyKey(job.name(), "never"), "why"))
                .isInstanceOf(NotFoundException.class);
        assertThat(cancelled).isEmpty();
    }
}
