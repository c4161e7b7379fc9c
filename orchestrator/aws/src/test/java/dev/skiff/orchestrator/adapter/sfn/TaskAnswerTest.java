package dev.skiff.orchestrator.adapter.sfn;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.skiff.orchestrator.port.TaskReport;
import dev.skiff.workflows.SkiffErrors;
import dev.skiff.workflows.StepOutcome;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TaskAnswerTest {

    static final TaskReport TASK = new TaskReport("arn:aws:ecs:us-east-1:123456789012:task/skiff/abc", "spot",
            Optional.of(Instant.parse("2026-11-26T02:00:05Z")), Optional.of(Instant.parse("2026-11-26T02:03:00Z")),
            Optional.of(new BigDecimal("0.001234")));

    @Test
    void shouldSucceedWithExitCodeTaskCapacityTimesAndCostWhenTheTaskExitedZero() throws Exception {
        // Given a task that exited 0
        // When it is answered
        TaskAnswer answer = TaskAnswer.of(new StepOutcome.Succeeded(), TASK);

        // Then the output carries everything a person reads about the step
        assertThat(answer).isInstanceOf(TaskAnswer.Success.class);
        var output = new ObjectMapper().readTree(((TaskAnswer.Success) answer).output());
        assertThat(output.path("exitCode").asInt(-1)).isZero();
        assertThat(output.path("taskArn").asText()).isEqualTo(TASK.taskArn());
        assertThat(output.path("capacity").asText()).isEqualTo("spot");
        assertThat(output.path("startedAt").asText()).isEqualTo("2026-11-26T02:00:05Z");
        assertThat(output.path("stoppedAt").asText()).isEqualTo("2026-11-26T02:03:00Z");
        assertThat(output.path("costUsd").decimalValue()).isEqualByComparingTo("0.001234");
    }

    @Test
    void shouldLeaveOutTimesAndCostWhenTheTaskReportHasNone() throws Exception {
        // Given a report without start, stop or cost
        var bare = new TaskReport("task-1", "on-demand", Optional.empty(), Optional.empty(), Optional.empty());

        // When a success is answered
        var output = new ObjectMapper().readTree(((TaskAnswer.Success) TaskAnswer.of(new StepOutcome.Succeeded(), bare)).output());

        // Then only what is known is there
        assertThat(output.has("startedAt")).isFalse();
        assertThat(output.has("stoppedAt")).isFalse();
        assertThat(output.has("costUsd")).isFalse();
    }

    @Test
    void shouldFailWithTheSkiffErrorTheAslMatchesWhenTheTaskDidNotSucceed() {
        // Given each way a task can end badly
        // When each is answered
        // Then the error is the SkiffErrors name the compiled Retry and Catch match
        assertThat(errorOf(new StepOutcome.Exited(3))).isEqualTo("Skiff.ExitCode.3");
        assertThat(errorOf(new StepOutcome.Exited(255))).isEqualTo("Skiff.ExitCode.255");
        assertThat(errorOf(new StepOutcome.TimedOut())).isEqualTo(SkiffErrors.TIMEOUT);
        assertThat(errorOf(new StepOutcome.CapacityUnavailable("Capacity is unavailable at this time"))).isEqualTo(SkiffErrors.START_FAILED);
        assertThat(errorOf(new StepOutcome.StartFailed("network", true))).isEqualTo(SkiffErrors.START_FAILED);
        assertThat(errorOf(new StepOutcome.StartFailed("CannotPullContainerError", false))).isEqualTo(SkiffErrors.START_REJECTED);
        assertThat(errorOf(new StepOutcome.Lost("gone"))).isEqualTo(SkiffErrors.LOST);
        assertThat(errorOf(new StepOutcome.SpotInterrupted("reclaimed"))).isEqualTo(SkiffErrors.LOST);
        assertThat(errorOf(new StepOutcome.Cancelled("by alice"))).isEqualTo(SkiffErrors.CANCELLED);
    }

    @Test
    void shouldCountAsLostWhenTheExitCodeIsOutsideOneTo255() {
        // Given an exit code no Linux process reports
        // When it is answered
        var answer = (TaskAnswer.Failure) TaskAnswer.of(new StepOutcome.Exited(-1), TASK);

        // Then it is lost, and the cause says why
        assertThat(answer.error()).isEqualTo(SkiffErrors.LOST);
        assertThat(answer.cause()).contains("-1");
    }

    @Test
    void shouldNameTheReasonAndTheTaskInTheCauseWhenAStartFailed() {
        // Given a task that failed to start
        // When it is answered
        var answer = (TaskAnswer.Failure) TaskAnswer.of(new StepOutcome.StartFailed("CannotPullContainerError: no such image", false), TASK);

        // Then the cause names ECS's reason, the task and where it ran
        assertThat(answer.cause()).contains("CannotPullContainerError: no such image", TASK.taskArn(), "spot");
    }

    @Test
    void shouldCutTheCauseToStepFunctionsLimitWhenTheReasonIsLong() {
        // Given a reason longer than SendTaskFailure accepts
        String longReason = "x".repeat(40_000);

        // When it is answered
        var answer = (TaskAnswer.Failure) TaskAnswer.of(new StepOutcome.Lost(longReason), TASK);

        // Then the cause fits, and still ends with the task (the history is read back by that ending)
        assertThat(answer.cause()).hasSize(TaskAnswer.MAX_CAUSE).endsWith(" on spot, estimated 0.001234 USD)");
    }

    private static String errorOf(StepOutcome outcome) {
        return ((TaskAnswer.Failure) TaskAnswer.of(outcome, TASK)).error();
    }
}
