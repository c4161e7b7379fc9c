package dev.skiff.orchestrator.adapter.sfn;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.jobs.Capacity;
import dev.skiff.workflows.Attempt;
import dev.skiff.workflows.StepOutcome;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;
import software.amazon.awssdk.services.sfn.model.HistoryEventType;

class ExecutionHistoryTest {

    private static final Instant T0 = Instant.parse("2026-11-26T02:00:00Z");
    private static final String TASK = "arn:aws:ecs:us-east-1:123456789012:task/skiff/abc";

    private final List<HistoryEvent> events = new ArrayList<>();

    @Test
    void shouldReadEachAttemptWithItsTaskAndOutcomeWhenTheStepFailedThenSucceeded() {
        // Given a history with a failed first attempt and a successful second one
        scheduled(0, 0);
        failed(30, "Skiff.ExitCode.3", "the job exited with code 3 (task " + TASK + " on spot, estimated 0.000206 USD)");
        scheduled(1, 60);
        succeeded(90, "{\"exitCode\":0,\"taskArn\":\"" + TASK + "2\",\"capacity\":\"on-demand\",\"stoppedAt\":\"2026-11-26T02:01:29Z\",\"costUsd\":0.001234}");

        // When its attempts are read
        List<Attempt> attempts = new ExecutionHistory(events).attempts(Capacity.SPOT_FIRST, List.of());

        // Then each has its number, task, where it ran, how it ended and what it cost
        assertThat(attempts).hasSize(2);
        assertThat(attempts.get(0).number()).isEqualTo(1);
        assertThat(attempts.get(0).taskId()).isEqualTo(TASK);
        assertThat(attempts.get(0).ranOn()).isEqualTo("spot");
        assertThat(attempts.get(0).outcome()).contains(new StepOutcome.Exited(3));
        assertThat(attempts.get(0).deadline()).isEqualTo(T0.plusSeconds(4200));
        assertThat(attempts.get(0).costUsd()).contains(new BigDecimal("0.000206"));
        assertThat(attempts.get(1).number()).isEqualTo(2);
        assertThat(attempts.get(1).ranOn()).isEqualTo("on-demand");
        assertThat(attempts.get(1).outcome()).contains(new StepOutcome.Succeeded());
        assertThat(attempts.get(1).endedAt()).contains(Instant.parse("2026-11-26T02:01:29Z"));
        assertThat(attempts.get(1).costUsd()).contains(new BigDecimal("0.001234"));
    }

    @Test
    void shouldAwaitOnlyTheLatestUnansweredAttempt() {
        // Given a first attempt answered and a second one scheduled
        scheduled(0, 0);
        failed(30, "Skiff.Lost", "gone");
        scheduled(1, 60);
        var history = new ExecutionHistory(events);

        // When asked which attempt the step waits for
        // Then only the second (a stopped task of the first must not be answered again)
        assertThat(history.awaits(2)).isTrue();
        assertThat(history.awaits(1)).isFalse();
        assertThat(history.attempts(Capacity.SPOT_FIRST, List.of()).get(1).isRunning()).isTrue();

        // And once the second is answered, none
        succeeded(90, "{}");
        assertThat(new ExecutionHistory(events).awaits(2)).isFalse();
    }

    @Test
    void shouldMapEveryErrorNameBackToTheOutcomeItStandsFor() {
        assertThat(ExecutionHistory.outcome("Skiff.ExitCode.75", "")).isEqualTo(new StepOutcome.Exited(75));
        assertThat(ExecutionHistory.outcome("Skiff.Timeout", "")).isEqualTo(new StepOutcome.TimedOut());
        assertThat(ExecutionHistory.outcome("States.Timeout", "")).isEqualTo(new StepOutcome.TimedOut());
        assertThat(ExecutionHistory.outcome("Skiff.StartFailed", "no capacity")).isEqualTo(new StepOutcome.StartFailed("no capacity", true));
        assertThat(ExecutionHistory.outcome("Skiff.StartRejected", "bad image")).isEqualTo(new StepOutcome.StartFailed("bad image", false));
        assertThat(ExecutionHistory.outcome("Skiff.Cancelled", "asked")).isEqualTo(new StepOutcome.Cancelled("asked"));
        assertThat(ExecutionHistory.outcome("States.HeartbeatTimeout", "")).isEqualTo(new StepOutcome.Lost("States.HeartbeatTimeout"));
    }

    private void scheduled(int retryCount, int atSecond) {
        String parameters = "{\"QueueUrl\":\"q\",\"MessageBody\":{\"runId\":\"r\",\"attempt\":" + retryCount + ",\"taskToken\":\"t\"}}";
        events.add(HistoryEvent.builder().type(HistoryEventType.TASK_SCHEDULED).timestamp(T0.plusSeconds(atSecond))
                .taskScheduledEventDetails(d -> d.parameters(parameters).resource("sendMessage.waitForTaskToken")
                        .resourceType("sqs").region("us-east-1").timeoutInSeconds(4200L)).build());
    }

    private void failed(int atSecond, String error, String cause) {
        events.add(HistoryEvent.builder().type(HistoryEventType.TASK_FAILED).timestamp(T0.plusSeconds(atSecond))
                .taskFailedEventDetails(d -> d.error(error).cause(cause)).build());
    }

    private void succeeded(int atSecond, String output) {
        events.add(HistoryEvent.builder().type(HistoryEventType.TASK_SUCCEEDED).timestamp(T0.plusSeconds(atSecond))
                .taskSucceededEventDetails(d -> d.output(output)).build());
    }
}
