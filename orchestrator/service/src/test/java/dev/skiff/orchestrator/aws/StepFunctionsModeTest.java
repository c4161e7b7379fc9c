package dev.skiff.orchestrator.aws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.jobs.JobSpec;
import dev.skiff.orchestrator.TestSpecs;
import dev.skiff.orchestrator.adapter.ecs.TaskOutcomes;
import dev.skiff.orchestrator.adapter.sfn.MotoStepFunctions;
import dev.skiff.orchestrator.adapter.sqs.SqsQueue;
import dev.skiff.orchestrator.api.RunView;
import dev.skiff.orchestrator.port.RunEngine.RunQuery;
import dev.skiff.orchestrator.port.TaskReport;
import dev.skiff.testing.EcsEvents;
import dev.skiff.workflows.Attempt;
import dev.skiff.workflows.DispatchRequest;
import dev.skiff.workflows.Run;
import dev.skiff.workflows.RunIds;
import dev.skiff.workflows.RunStatus;
import dev.skiff.workflows.StepOutcome;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.model.ContainerOverride;
import software.amazon.awssdk.services.ecs.model.Task;
import software.amazon.awssdk.services.ecs.model.TaskStopCode;
import software.amazon.awssdk.services.sfn.model.InvalidTokenException;
import software.amazon.awssdk.services.sfn.model.TaskDoesNotExistException;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * Step Functions mode end to end on moto, with Step Functions executing the compiled state machines: a trigger
 * starts an execution, its launch request reaches the dispatch consumer, which starts a Fargate task with the step's
 * token, and the task's STOPPED event (sent by the test, as ECS would) answers the token. Retries and catches are
 * the ASL's own.
 */
class StepFunctionsModeTest {

    private AwsMode aws;

    @BeforeEach
    void assemble() {
        aws = new AwsMode();
    }

    @AfterEach
    void close() {
        aws.close();
    }

    @Test
    void shouldRunFromTriggerToSucceededWhenTheTasksStoppedEventSaysExitCodeZero() throws Exception {
        // Given a job on Step Functions
        JobSpec job = aws.register(TestSpecs.shell(MotoStepFunctions.jobName("ok"), "true"));

        // When a run starts, its launch request is dispatched, and its task's STOPPED event arrives
        String runId = start(job);
        assertThat(aws.dispatchNext()).isEqualTo(DispatchConsumer.Outcome.SETTLED);
        Task task = onlyTask(runId, 1);
        aws.publish(aws.awaitStopped(task.taskArn()), 3);
        assertThat(aws.consumeTaskEvents()).containsExactly(TaskEventsConsumer.Outcome.SETTLED);

        // Then the run succeeded, and its one attempt names the task, where it ran and its exit code
        aws.awaitStatus(runId, RunStatus.SUCCEEDED);
        Run run = aws.engine.get(runId).orElseThrow();
        assertThat(run.attempts()).singleElement().satisfies(attempt -> {
            assertThat(attempt.number()).isEqualTo(1);
            assertThat(attempt.taskId()).isEqualTo(task.taskArn());
            assertThat(attempt.ranOn()).isEqualTo("spot");
            assertThat(attempt.exitCode()).contains(0);
            assertThat(attempt.costUsd()).isPresent();
        });
        // And the task carried the step's sealed token and Skiff's variables, never the spec's secrets
        StepTask step = AwsMode.stepOf(task, aws.seal).orElseThrow();
        assertThat(step.runId()).isEqualTo(runId);
        assertThat(step.environment()).containsKeys("SKIFF_SEALED_TASK_TOKEN", "SKIFF_RUN_ID", "SKIFF_ATTEMPT", "SKIFF_STEP");
    }

    @Test
    void shouldShowNoUsableTaskTokenToAReaderOfDescribeTasksOrToTheJob() throws Exception {
        // Given a step whose task runs
        JobSpec job = aws.register(TestSpecs.shell(MotoStepFunctions.jobName("sealed"), "true"));
        String runId = start(job);
        aws.dispatchNext();
        Task task = onlyTask(runId, 1);

        // When someone reads the task with DescribeTasks (as CloudTrail, the ECS events and the job's container see
        // the same override) and answers the step with every value it finds
        String token = AwsMode.stepOf(task, aws.seal).orElseThrow().taskToken();
        Map<String, String> seen = new java.util.HashMap<>();
        task.overrides().containerOverrides().forEach(o -> o.environment().forEach(p -> seen.put(p.name(), p.value())));
        List<Class<?>> refusals = new java.util.ArrayList<>();
        for (String value : seen.values()) {
            try {
                aws.sfn.sendTaskSuccess(r -> r.taskToken(value).output("{}"));
                refusals.add(Void.class);
            } catch (InvalidTokenException | TaskDoesNotExistException refused) {
                refusals.add(refused.getClass());
            }
        }

        // Then the token is nowhere in the task, no value answered the step, and the run still waits for its task
        assertThat(seen).doesNotContainKey("SKIFF_TASK_TOKEN").containsKey("SKIFF_SEALED_TASK_TOKEN");
        assertThat(seen.values()).noneMatch(value -> value.contains(token));
        assertThat(refusals).hasSize(seen.size()).doesNotContain(Void.class);
        assertThat(aws.statusOf(runId)).isEqualTo(RunStatus.RUNNING);

        // And when the task stops, Skiff opens the token and the run succeeds
        aws.publish(aws.awaitStopped(task.taskArn()), 3);
        aws.consumeTaskEvents();
        aws.awaitStatus(runId, RunStatus.SUCCEEDED);
    }

    @Test
    void shouldAnswerForNoTaskWhoseSealedTokenWasChangedOrCopiedFromAnotherRun() throws Exception {
        // Given two runs whose tasks have stopped
        JobSpec job = aws.register(TestSpecs.shell(MotoStepFunctions.jobName("forged"), "true"));
        String first = start(job, "first");
        aws.dispatchNext();
        String second = start(job, "second");
        aws.dispatchNext();
        Task firstTask = aws.awaitStopped(onlyTask(first, 1).taskArn());
        Task secondTask = aws.awaitStopped(onlyTask(second, 1).taskArn());
        String secondSealed = AwsMode.stepOf(secondTask, aws.seal).orElseThrow().environment().get("SKIFF_SEALED_TASK_TOKEN");
        String firstSealed = AwsMode.stepOf(firstTask, aws.seal).orElseThrow().environment().get("SKIFF_SEALED_TASK_TOKEN");
        String changed = firstSealed.substring(0, firstSealed.length() - 2)
                + (firstSealed.endsWith("AA") ? "BB" : "AA");

        // When tasks claiming the first run's step stop, one with the second run's sealed token, one with a changed one
        StepCompletion.Outcome copied = aws.stopped(forged(firstTask, "copied", secondSealed));
        StepCompletion.Outcome tampered = aws.stopped(forged(firstTask, "tampered", changed));

        // Then neither is answered for, and the real tasks still settle both runs
        assertThat(copied).isEqualTo(StepCompletion.Outcome.IGNORED);
        assertThat(tampered).isEqualTo(StepCompletion.Outcome.IGNORED);
        assertThat(aws.stopped(firstTask)).isEqualTo(StepCompletion.Outcome.ANSWERED);
        assertThat(aws.stopped(secondTask)).isEqualTo(StepCompletion.Outcome.ANSWERED);
        aws.awaitStatus(first, RunStatus.SUCCEEDED);
        aws.awaitStatus(second, RunStatus.SUCCEEDED);
    }

    /** A copy of the task document under another ARN, its sealed token replaced. */
    private static Task forged(Task task, String suffix, String sealed) {
        List<ContainerOverride> overrides = task.overrides().containerOverrides().stream()
                .map(o -> o.toBuilder().environment(o.environment().stream()
                        .map(p -> p.name().equals("SKIFF_SEALED_TASK_TOKEN") ? p.toBuilder().value(sealed).build() : p)
                        .toList()).build())
                .toList();
        return task.toBuilder().taskArn(task.taskArn() + "-" + suffix)
                .overrides(task.overrides().toBuilder().containerOverrides(overrides).build()).build();
    }

    @Test
    void shouldRetryAFailingStepThroughTheAslRetryWhenItsExitCodeIsRetryable() throws Exception {
        // Given a job retried once on exit codes, one second apart
        JobSpec job = aws.register(TestSpecs.shell(MotoStepFunctions.jobName("retry"), "true", retries(2)));
        String runId = start(job);

        // When the first attempt exits 3 and the second 0
        aws.dispatchNext();
        aws.publish(EcsEvents.exited(aws.awaitStopped(onlyTask(runId, 1).taskArn()), 3), 3);
        aws.consumeTaskEvents();
        aws.dispatchNext(); // the ASL Retry sends attempt 2's launch request after its interval
        aws.publish(aws.awaitStopped(onlyTask(runId, 2).taskArn()), 3);
        aws.consumeTaskEvents();

        // Then the run succeeded on its second attempt, and both attempts are in its history
        aws.awaitStatus(runId, RunStatus.SUCCEEDED);
        List<Attempt> attempts = aws.engine.get(runId).orElseThrow().attempts();
        assertThat(attempts).extracting(Attempt::number).containsExactly(1, 2);
        assertThat(attempts.get(0).outcome()).contains(new StepOutcome.Exited(3));
        assertThat(attempts.get(1).outcome()).contains(new StepOutcome.Succeeded());
    }

    @Test
    void shouldFailTheRunWithTheStepsErrorWhenRetriesAreExhausted() throws Exception {
        // Given a job with two attempts in all
        JobSpec job = aws.register(TestSpecs.shell(MotoStepFunctions.jobName("exhaust"), "true", retries(2)));
        String runId = start(job);

        // When both attempts exit 3
        for (int attempt = 1; attempt <= 2; attempt++) {
            aws.dispatchNext();
            aws.publish(EcsEvents.exited(aws.awaitStopped(onlyTask(runId, attempt).taskArn()), 3), 3);
            aws.consumeTaskEvents();
        }

        // Then the run failed with the exit code's error name
        aws.awaitStatus(runId, RunStatus.FAILED);
        Run run = aws.engine.get(runId).orElseThrow();
        assertThat(run.error()).contains("Skiff.ExitCode.3");
        assertThat(run.attempts()).hasSize(2);
        // And each failed attempt shows its task, where it ran, its exit code and its cost, as a successful one does
        for (int attempt = 1; attempt <= 2; attempt++) {
            Task task = onlyTask(runId, attempt);
            assertThat(run.attempts().get(attempt - 1)).satisfies(a -> {
                assertThat(a.taskId()).isEqualTo(task.taskArn());
                assertThat(a.ranOn()).isEqualTo("spot");
                assertThat(a.exitCode()).contains(3);
                assertThat(a.costUsd()).isPresent();
            });
        }
    }

    @Test
    void shouldStopATaskPastItsTimeoutAndFailTheStepWithSkiffTimeout() throws Exception {
        // Given a job with a 2 s timeout whose task has been running for 10 s
        JobSpec job = aws.register(TestSpecs.shell(MotoStepFunctions.jobName("slow"), "sleep 60", "timeout: 2s",
                "environment: {EMULATED_RUN: until-stopped, EMULATED_RAN_SECONDS: '10'}"));
        String runId = start(job);
        aws.dispatchNext();
        Task task = onlyTask(runId, 1);

        // When the reconciler sweeps, and the stop's event arrives
        StepReconciler.Sweep sweep = aws.reconciler.sweep(Instant.now());
        Task stopped = aws.awaitStopped(task.taskArn());
        aws.publish(stopped, 4);
        aws.consumeTaskEvents();

        // Then the task was stopped for its timeout, and the run timed out with Skiff.Timeout
        assertThat(sweep.timedOut()).isEqualTo(1);
        assertThat(stopped.stoppedReason()).startsWith(TaskOutcomes.TIMEOUT_STOP_REASON);
        aws.awaitStatus(runId, RunStatus.TIMED_OUT);
        assertThat(aws.engine.get(runId).orElseThrow().error()).contains("Skiff.Timeout");
    }

    @Test
    void shouldStopTheTaskOfACancelledRun() throws Exception {
        // Given a running step
        String runId = startRunningStep("cancel");
        Task task = onlyTask(runId, 1);

        // When the run is cancelled, and the task's STOPPED event arrives
        aws.engine.cancel(runId, "no longer needed");
        Task stopped = aws.awaitStopped(task.taskArn());
        aws.publish(stopped, 4);
        aws.consumeTaskEvents();

        // Then its task was stopped, and the run is cancelled
        assertThat(stopped.stoppedReason()).isEqualTo("Skiff: cancelled: no longer needed");
        aws.awaitStatus(runId, RunStatus.CANCELLED);
    }

    @Test
    void shouldRelaunchOnDemandWithTheSameTokenWhenSpotInterruptsTheTask() throws Exception {
        // Given a spot-first job whose Spot task gets interrupted
        JobSpec job = aws.register(TestSpecs.shell(MotoStepFunctions.jobName("spot"), "true",
                "environment: {EMULATED_STOP_CODE: SpotInterruption}"));
        String runId = start(job);
        aws.dispatchNext();
        Task interrupted = aws.awaitStopped(onlyTask(runId, 1).taskArn());

        // When the interruption's event arrives twice
        aws.publish(interrupted, 3);
        aws.publish(interrupted, 3);
        List<TaskEventsConsumer.Outcome> outcomes = aws.consumeTaskEvents();

        // Then one on-demand task runs the same attempt with the same token
        assertThat(outcomes).containsExactlyInAnyOrder(TaskEventsConsumer.Outcome.SETTLED, TaskEventsConsumer.Outcome.STALE);
        List<Task> tasks = aws.tasksOf(runId, 1);
        assertThat(tasks).hasSize(2);
        Task relaunched = tasks.stream().filter(t -> !t.taskArn().equals(interrupted.taskArn())).findFirst().orElseThrow();
        assertThat(relaunched.capacityProviderName()).isEqualTo("FARGATE");
        assertThat(AwsMode.stepOf(relaunched, aws.seal).orElseThrow().taskToken()).isEqualTo(AwsMode.stepOf(interrupted, aws.seal).orElseThrow().taskToken());
        assertThat(aws.statusOf(runId)).isEqualTo(RunStatus.RUNNING);

        // And when the on-demand task ends, the run succeeds with one attempt, which ran on-demand
        aws.publish(aws.awaitStopped(relaunched.taskArn()), 3);
        aws.consumeTaskEvents();
        aws.awaitStatus(runId, RunStatus.SUCCEEDED);
        Run run = aws.engine.get(runId).orElseThrow();
        // Then attempt 1 lists both its tasks: the interrupted Spot one, billed for the time it ran, then the
        // on-demand one; the run's cost counts both
        assertThat(run.attempts()).extracting(Attempt::number, Attempt::taskId, Attempt::ranOn).containsExactly(
                org.assertj.core.groups.Tuple.tuple(1, interrupted.taskArn(), "spot"),
                org.assertj.core.groups.Tuple.tuple(1, relaunched.taskArn(), "on-demand"));
        assertThat(run.attempts().get(0).outcome()).containsInstanceOf(StepOutcome.SpotInterrupted.class);
        assertThat(run.attempts()).allSatisfy(a -> assertThat(a.costUsd()).isPresent());
        assertThat(RunView.of(run).costUsd()).isEqualTo(
                run.attempts().get(0).costUsd().orElseThrow().add(run.attempts().get(1).costUsd().orElseThrow()));
    }

    @Test
    void shouldRelaunchWhenDescribeTasksStillShowsTheInterruptedTaskRunning() throws Exception {
        // Given a spot-first job whose task runs on, and an interruption event that is ahead of DescribeTasks
        // (ECS sends the event first; DescribeTasks still shows the task RUNNING, with no stop code)
        String runId = startRunningStep("lag");
        Task running = onlyTask(runId, 1);
        Task interrupted = AwsMode.withStatus(running, "STOPPED").toBuilder()
                .stopCode(TaskStopCode.SPOT_INTERRUPTION).stoppedReason("Your Spot Task was interrupted.")
                .stoppedAt(Instant.now()).build();

        // When the event is settled
        StepCompletion.Outcome outcome = aws.stopped(interrupted);

        // Then the interrupted task is not taken for its own replacement: a new on-demand task runs the attempt
        assertThat(outcome).isEqualTo(StepCompletion.Outcome.RELAUNCHED);
        List<Task> tasks = aws.tasksOf(runId, 1);
        assertThat(tasks).hasSize(2);
        assertThat(tasks).filteredOn(t -> !t.taskArn().equals(running.taskArn())).singleElement()
                .satisfies(t -> assertThat(t.capacityProviderName()).isEqualTo("FARGATE"));
        assertThat(aws.proxy.requests("RunTask")).hasSize(2);
    }

    @Test
    void shouldChangeNothingWhenEventsComeTwiceOrOutOfOrder() throws Exception {
        // Given a job retried once, whose first attempt exited 3
        JobSpec job = aws.register(TestSpecs.shell(MotoStepFunctions.jobName("dup"), "true", retries(2)));
        String runId = start(job);
        aws.dispatchNext();
        Task first = EcsEvents.exited(aws.awaitStopped(onlyTask(runId, 1).taskArn()), 3);

        // When its STOPPED event comes twice, then an older RUNNING one
        aws.publish(first, 3);
        aws.publish(first, 3);
        aws.publish(AwsMode.withStatus(first, "RUNNING"), 2);
        List<TaskEventsConsumer.Outcome> outcomes = aws.consumeTaskEvents();
        // and once more after the second attempt was launched (moto reuses a state's token for its retries,
        // so an answer here would fail the second attempt)
        aws.dispatchNext();
        Task second = onlyTask(runId, 2);
        aws.publish(first, 3);
        List<TaskEventsConsumer.Outcome> late = aws.consumeTaskEvents();
        aws.publish(aws.awaitStopped(second.taskArn()), 3);
        aws.consumeTaskEvents();

        // Then only the first STOPPED event counted, and the second attempt decided the run
        assertThat(outcomes).containsExactlyInAnyOrder(TaskEventsConsumer.Outcome.SETTLED,
                TaskEventsConsumer.Outcome.STALE, TaskEventsConsumer.Outcome.STALE);
        assertThat(late).containsExactly(TaskEventsConsumer.Outcome.STALE);
        aws.awaitStatus(runId, RunStatus.SUCCEEDED);
    }

    @Test
    void shouldSettleAStepWhoseStoppedEventWasLostOnTheReconcilersSweep() throws Exception {
        // Given a step whose task stopped, and whose event never arrived
        JobSpec job = aws.register(TestSpecs.shell(MotoStepFunctions.jobName("lost"), "true"));
        String runId = start(job);
        aws.dispatchNext();
        aws.awaitStopped(onlyTask(runId, 1).taskArn());

        // When the reconciler sweeps twice
        StepReconciler.Sweep first = aws.reconciler.sweep(Instant.now());
        StepReconciler.Sweep second = aws.reconciler.sweep(Instant.now());

        // Then the first sweep settled the step and the second found nothing to do
        assertThat(first.settled()).isEqualTo(1);
        assertThat(second.settled()).isZero();
        aws.awaitStatus(runId, RunStatus.SUCCEEDED);
    }

    @Test
    void shouldHeartbeatRunningStepsAndStopTasksWhoseStepNoLongerWaits() throws Exception {
        // Given two running tasks, one of whose steps was answered by someone else (its token is closed)
        JobSpec job = aws.register(TestSpecs.shell(MotoStepFunctions.jobName("beat"), "sleep 600",
                "environment: {EMULATED_RUN: until-stopped}"));
        String live = start(job);
        aws.dispatchNext();
        String orphaned = start(job, "orphan");
        aws.dispatchNext();
        Task orphan = onlyTask(orphaned, 1);
        aws.tokens.answer(AwsMode.stepOf(orphan, aws.seal).orElseThrow().taskToken(), new StepOutcome.Succeeded(),
                new TaskReport("elsewhere", "spot", java.util.Optional.empty(), java.util.Optional.empty(), java.util.Optional.empty()));
        aws.awaitStatus(orphaned, RunStatus.SUCCEEDED);

        // When the reconciler sweeps
        StepReconciler.Sweep sweep = aws.reconciler.sweep(Instant.now());

        // Then the live step got a heartbeat and the orphaned task was stopped
        assertThat(sweep.heartbeats()).isEqualTo(1);
        assertThat(sweep.orphansStopped()).isEqualTo(1);
        assertThat(aws.awaitStopped(orphan.taskArn()).stoppedReason()).contains("no longer waits");
        assertThat(aws.statusOf(live)).isEqualTo(RunStatus.RUNNING);
    }

    @Test
    void shouldStartNoSecondTaskWhenALaunchRequestIsDeliveredAgain() throws Exception {
        // Given a launch request that was acted on, but not deleted (the orchestrator died in between)
        JobSpec job = aws.register(TestSpecs.shell(MotoStepFunctions.jobName("redeliver"), "true"));
        String runId = start(job);
        Message first = aws.nextLaunchRequest(Duration.ofSeconds(20));
        new StepLauncher(aws::job, aws.fargate, aws.tokens, aws.seal).launch(DispatchRequest.parse(first.body()), false);
        aws.sqs.changeMessageVisibility(r -> r.queueUrl(aws.dispatchQueue).receiptHandle(first.receiptHandle()).visibilityTimeout(0));

        // When it is delivered again
        Message again = aws.nextLaunchRequest(Duration.ofSeconds(20));
        DispatchConsumer.Outcome outcome = aws.dispatch.handle(again);

        // Then the second delivery found the first one's task: one RunTask, one task
        assertThat(SqsQueue.receiveCount(again)).isEqualTo(2);
        assertThat(outcome).isEqualTo(DispatchConsumer.Outcome.SETTLED);
        assertThat(aws.tasksOf(runId, 1)).hasSize(1);
        assertThat(aws.proxy.requests("RunTask")).hasSize(1);
    }

    @Test
    void shouldFailTheStepAsRejectedWhenItsJobIsNoLongerRegistered() throws Exception {
        // Given a run whose job was removed before its launch request was read
        JobSpec job = aws.register(TestSpecs.shell(MotoStepFunctions.jobName("gone"), "true", retries(3)));
        String runId = start(job);
        aws.jobs.remove(job.name());

        // When the launch request is dispatched
        aws.dispatchNext();

        // Then the step failed at once, not retried, and no task was started
        aws.awaitStatus(runId, RunStatus.FAILED);
        assertThat(aws.engine.get(runId).orElseThrow().error()).contains("Skiff.StartRejected");
        assertThat(aws.proxy.requests("RunTask")).isEmpty();
    }

    @Test
    void shouldListTimedOutCancelledAndFailedRunsAsTheirDetailShowsThem() throws Exception {
        // Given a job with a 2 s timeout whose tasks run until stopped
        JobSpec job = aws.register(TestSpecs.shell(MotoStepFunctions.jobName("listed"), "sleep 60", "timeout: 2s",
                "environment: {EMULATED_RUN: until-stopped, EMULATED_RAN_SECONDS: '10'}"));
        // ... a run whose task the reconciler stopped for its timeout
        String timedOut = start(job, "timeout");
        aws.dispatchNext();
        Task slow = onlyTask(timedOut, 1);
        aws.reconciler.sweep(Instant.now());
        aws.publish(aws.awaitStopped(slow.taskArn()), 4);
        aws.consumeTaskEvents();
        aws.awaitStatus(timedOut, RunStatus.TIMED_OUT);
        Thread.sleep(1100); // execution start dates have a resolution of a second or so in moto
        // ... a run cancelled, whose stopped task answered its step
        String cancelled = start(job, "cancel");
        aws.dispatchNext();
        Task cancelledTask = onlyTask(cancelled, 1);
        aws.engine.cancel(cancelled, "no longer needed");
        aws.publish(aws.awaitStopped(cancelledTask.taskArn()), 4);
        aws.consumeTaskEvents();
        aws.awaitStatus(cancelled, RunStatus.CANCELLED);
        Thread.sleep(1100);
        // ... and a run that failed: its job was gone when its launch request was read
        aws.jobs.remove(job.name());
        String failed = start(job, "rejected");
        aws.dispatchNext();
        aws.awaitStatus(failed, RunStatus.FAILED);

        // When the job's runs are listed (GET /runs), without a status and by status
        List<Run> listed = aws.engine.list(new RunQuery(Optional.of(job.name()), Set.of(), Optional.empty(), 50));

        // Then every listed run shows the status of its detail (GET /runs/{id}), and each status filter finds its own
        assertThat(listed).extracting(Run::runId).containsExactly(failed, cancelled, timedOut);
        assertThat(listed).allSatisfy(run -> assertThat(run.status()).isEqualTo(aws.statusOf(run.runId())));
        assertThat(listedWith(job, RunStatus.TIMED_OUT)).containsExactly(timedOut);
        assertThat(listedWith(job, RunStatus.CANCELLED)).containsExactly(cancelled);
        assertThat(listedWith(job, RunStatus.FAILED)).containsExactly(failed);
        assertThat(listedWith(job, RunStatus.TIMED_OUT, RunStatus.CANCELLED)).containsExactly(cancelled, timedOut);
    }

    private List<String> listedWith(JobSpec job, RunStatus... statuses) {
        return aws.engine.list(new RunQuery(Optional.of(job.name()), Set.of(statuses), Optional.empty(), 50)).stream()
                .map(Run::runId).toList();
    }

    /** Starts a run of a new job whose task runs until it is stopped, and launches its step. */
    private String startRunningStep(String name) {
        JobSpec job = aws.register(TestSpecs.shell(MotoStepFunctions.jobName(name), "sleep 600",
                "environment: {EMULATED_RUN: until-stopped}"));
        String runId = start(job);
        aws.dispatchNext();
        return runId;
    }

    private String start(JobSpec job) {
        return start(job, "run");
    }

    private String start(JobSpec job, String key) {
        String runId = RunIds.idempotencyKey(job.name(), key);
        assertThat(aws.engine.start(runId, job, "api", Map.of()).created()).isTrue();
        return runId;
    }

    private Task onlyTask(String runId, int attempt) {
        return assertThat(aws.tasksOf(runId, attempt)).singleElement().actual();
    }

    private static String retries(int attempts) {
        return """
                retries:
                  maxAttempts: %d
                  backoff: {interval: 1s, rate: 1.0}
                  retryOn: [exit-code]
                """.formatted(attempts);
    }
}
