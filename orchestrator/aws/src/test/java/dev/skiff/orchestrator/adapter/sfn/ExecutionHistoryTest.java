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
    void shouldPairEachMapItemsAnswerWithItsOwnRequestThroughPreviousEventIds() {
        // Given a Map of two items whose requests are both open, and item 1 answered first (failed), then item 0
        var history = new ExecutionHistory(List.of(
                event(1, 0, HistoryEventType.TASK_SCHEDULED, 0, itemRequest(0)),
                event(2, 0, HistoryEventType.TASK_SCHEDULED, 1, itemRequest(1)),
                event(3, 1, HistoryEventType.TASK_SUBMITTED, 2, null),
                event(4, 2, HistoryEventType.TASK_SUBMITTED, 2, null),
                event(5, 4, HistoryEventType.TASK_FAILED, 30, null)));

        // When asked what the execution waits for
        // Then item 0 still waits, item 1 no longer does, and a step that runs once was never asked for
        assertThat(history.awaits("transform", 0, 1)).isTrue();
        assertThat(history.awaits("transform", 1, 1)).isFalse();
        assertThat(history.awaits(1)).isFalse();

        // And the failure is item 1's attempt (it ended at 30 s), while item 0's still runs
        var attempts = history.attempts(Capacity.SPOT_FIRST, List.of());
        assertThat(attempts).hasSize(2);
        assertThat(attempts.get(0).startedAt()).isEqualTo(T0.plusSeconds(1));
        assertThat(attempts.get(0).outcome()).contains(new StepOutcome.Exited(3));
        assertThat(attempts.get(1).startedAt()).isEqualTo(T0);
        assertThat(attempts.get(1).isRunning()).isTrue();
    }

    @Test
    void shouldNotCountAForEachsItemsRequestAsAnAttempt() {
        // Given a step's items request, answered, then the launch of its one item
        var history = new ExecutionHistory(List.of(
                event(1, 0, HistoryEventType.TASK_SCHEDULED, 0,
                        "{\"kind\":\"items\",\"runId\":\"r\",\"step\":\"transform\",\"attempt\":0,\"taskToken\":\"t\"}"),
                event(2, 1, HistoryEventType.TASK_SUCCEEDED, 1, null),
                event(3, 2, HistoryEventType.TASK_SCHEDULED, 2, itemRequest(0))));

        // Then the item's launch is the one attempt, and the one awaited
        assertThat(history.attempts(Capacity.SPOT_FIRST, List.of())).singleElement()
                .satisfies(a -> assertThat(a.startedAt()).isEqualTo(T0.plusSeconds(2)));
        assertThat(history.awaits("transform", 0, 1)).isTrue();
    }

    private static String itemRequest(int index) {
        return "{\"runId\":\"r\",\"step\":\"transform\",\"attempt\":0,\"itemIndex\":" + index
                + ",\"item\":{\"n\":" + index + "},\"taskToken\":\"t" + index + "\"}";
    }

    /** An event with its id and previousEventId, as Step Functions (and moto) write them; a failure exits 3. */
    private static HistoryEvent event(long id, long previous, HistoryEventType type, int atSecond, String body) {
        var event = HistoryEvent.builder().id(id).previousEventId(previous).type(type).timestamp(T0.plusSeconds(atSecond));
        if (type == HistoryEventType.TASK_SCHEDULED) {
            String parameters = "{\"QueueUrl\":\"q\",\"MessageBody\":" + body + "}";
            event.taskScheduledEventDetails(d -> d.parameters(parameters).resource("sendMessage.waitForTaskToken")
                    .resourceType("sqs").region("us-east-1").timeoutInSeconds(4200L));
        } else if (type == HistoryEventType.TASK_FAILED) {
            event.taskFailedEventDetails(d -> d.error("Skiff.ExitCode.3").cause("the job exited with code 3"));
        } else if (type == HistoryEventType.TASK_SUCCEEDED) {
            event.taskSucceededEventDetails(d -> d.output("{\"items\": []}"));
        }
        return event.build();
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
