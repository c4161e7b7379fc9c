package dev.skiff.orchestrator.adapter.sfn;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.workflows.Run;
import dev.skiff.workflows.RunIds;
import dev.skiff.workflows.RunStatus;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;

class ExecutionRunsTest {

    private static final Instant STARTED = Instant.parse("2026-11-26T02:00:00Z");
    private static final Instant STOPPED = Instant.parse("2026-11-26T02:05:00Z");

    @Test
    void shouldWriteParametersUnderParametersWhenMakingTheInput() {
        // Given parameters, and none
        // When each becomes an execution input
        // Then the compiled definition finds a parameters object in both
        assertThat(ExecutionRuns.input(Map.of("B", "2", "A", "1"))).isEqualTo("{\"parameters\":{\"A\":\"1\",\"B\":\"2\"}}");
        assertThat(ExecutionRuns.input(Map.of())).isEqualTo("{\"parameters\":{}}");
    }

    @Test
    void shouldReadTheParametersBackWhenTheInputIsSkiffs() {
        // Given an input Skiff wrote, and inputs it did not
        // When parameters are read from each
        // Then Skiff's come back, the others give none
        assertThat(ExecutionRuns.parameters(ExecutionRuns.input(Map.of("DAY", "2026-11-26")))).containsExactly(Map.entry("DAY", "2026-11-26"));
        assertThat(ExecutionRuns.parameters("{}")).isEmpty();
        assertThat(ExecutionRuns.parameters("not json")).isEmpty();
        assertThat(ExecutionRuns.parameters(null)).isEmpty();
    }

    @Test
    void shouldMapEveryExecutionStatusToARunStatus() {
        // Given each execution status
        // When it is shown as a run status
        // Then aborted is cancelled and one waiting for a redrive has failed
        assertThat(ExecutionRuns.statusOf(ExecutionStatus.RUNNING)).isEqualTo(RunStatus.RUNNING);
        assertThat(ExecutionRuns.statusOf(ExecutionStatus.SUCCEEDED)).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(ExecutionRuns.statusOf(ExecutionStatus.FAILED)).isEqualTo(RunStatus.FAILED);
        assertThat(ExecutionRuns.statusOf(ExecutionStatus.TIMED_OUT)).isEqualTo(RunStatus.TIMED_OUT);
        assertThat(ExecutionRuns.statusOf(ExecutionStatus.ABORTED)).isEqualTo(RunStatus.CANCELLED);
        assertThat(ExecutionRuns.statusOf(ExecutionStatus.PENDING_REDRIVE)).isEqualTo(RunStatus.FAILED);
    }

    @Test
    void shouldShowAFailedExecutionAsTimedOutOrCancelledWhenItsStepFailedForThat() {
        // Given failed executions with the error names of a timeout and of a cancel answered by the task
        // When they are shown as run statuses
        // Then they read as the embedded engine shows such runs
        assertThat(ExecutionRuns.statusOf(ExecutionStatus.FAILED, "Skiff.Timeout")).isEqualTo(RunStatus.TIMED_OUT);
        assertThat(ExecutionRuns.statusOf(ExecutionStatus.FAILED, "States.Timeout")).isEqualTo(RunStatus.TIMED_OUT);
        assertThat(ExecutionRuns.statusOf(ExecutionStatus.FAILED, "Skiff.Cancelled")).isEqualTo(RunStatus.CANCELLED);
        assertThat(ExecutionRuns.statusOf(ExecutionStatus.FAILED, "Skiff.ExitCode.3")).isEqualTo(RunStatus.FAILED);
        assertThat(ExecutionRuns.statusOf(ExecutionStatus.SUCCEEDED, null)).isEqualTo(RunStatus.SUCCEEDED);
    }

    @Test
    void shouldAskForRunningExecutionsWhenRunsWaitingForALaunchAreWanted() {
        // Given the statuses of active runs, of cancelled ones and of timed-out ones
        // When they become execution status filters
        // Then waiting runs are running executions; cancelled runs are aborted executions, or failed ones (whose
        // error says which), as timed-out runs are timed-out or failed executions
        assertThat(ExecutionRuns.executionStatuses(Set.of(RunStatus.PENDING, RunStatus.RETRY_WAIT, RunStatus.RUNNING)))
                .containsExactly(ExecutionStatus.RUNNING);
        assertThat(ExecutionRuns.executionStatuses(Set.of(RunStatus.CANCELLED)))
                .containsExactlyInAnyOrder(ExecutionStatus.ABORTED, ExecutionStatus.FAILED);
        assertThat(ExecutionRuns.executionStatuses(Set.of(RunStatus.TIMED_OUT)))
                .containsExactlyInAnyOrder(ExecutionStatus.TIMED_OUT, ExecutionStatus.FAILED);
        assertThat(ExecutionRuns.executionStatuses(Set.of(RunStatus.FAILED)))
                .containsExactlyInAnyOrder(ExecutionStatus.FAILED, ExecutionStatus.PENDING_REDRIVE);
    }

    @Test
    void shouldNameTheTriggerWhenTheRunIdSaysIt() {
        // Given run ids of each kind, and an execution someone named by hand
        // When the trigger is read from each
        // Then the id's kind letter decides
        assertThat(RunIds.triggerOf(RunIds.cron("etl", STARTED))).isEqualTo("cron");
        assertThat(RunIds.triggerOf(RunIds.event("etl", "aws.s3", "id-1"))).isEqualTo("event");
        assertThat(RunIds.triggerOf(RunIds.idempotencyKey("etl", "k"))).isEqualTo("api");
        assertThat(RunIds.triggerOf(RunIds.manual("etl", STARTED, new java.util.Random(1)))).isEqualTo("api");
        assertThat(RunIds.triggerOf("console-run")).isEqualTo("unknown");
    }

    @Test
    void shouldCarryErrorCauseAndTimesWhenAnExecutionFailed() {
        // Given a failed execution as DescribeExecution returns it
        String runId = RunIds.idempotencyKey("etl", "k");
        var execution = DescribeExecutionResponse.builder().name(runId).status(ExecutionStatus.FAILED)
                .startDate(STARTED).stopDate(STOPPED).input(ExecutionRuns.input(Map.of("A", "1")))
                .error("Skiff.ExitCode.3").cause("the job exited with code 3").build();

        // When it is shown as a run
        Run run = ExecutionRuns.of("etl", execution);

        // Then the run has its times, error and cause, and no attempts
        assertThat(run.status()).isEqualTo(RunStatus.FAILED);
        assertThat(run.createdAt()).isEqualTo(STARTED);
        assertThat(run.endedAt()).contains(STOPPED);
        assertThat(run.error()).contains("Skiff.ExitCode.3");
        assertThat(run.cause()).contains("the job exited with code 3");
        assertThat(run.parameters()).containsExactly(Map.entry("A", "1"));
        assertThat(run.attempts()).isEmpty();
    }

    @Test
    void shouldPutTheRunIdAfterTheStateMachineWhenMakingTheExecutionArn() {
        // Given a state machine ARN
        // When the ARN of one of its executions is made
        // Then it is Step Functions' own form
        assertThat(ExecutionRuns.executionArn("arn:aws:states:us-east-1:123456789012:stateMachine:skiff-etl", "etl-k-1"))
                .isEqualTo("arn:aws:states:us-east-1:123456789012:execution:skiff-etl:etl-k-1");
    }
}
