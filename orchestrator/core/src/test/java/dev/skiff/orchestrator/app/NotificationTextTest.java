package dev.skiff.orchestrator.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.jobs.RunEvents;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import dev.skiff.workflows.Run;
import dev.skiff.workflows.RunStatus;
import org.junit.jupiter.api.Test;

class NotificationTextTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static ObjectNode detail(String status) {
        return JSON.createObjectNode().put("job", "etl").put("runId", "etl-1").put("status", status);
    }

    @Test
    void shouldTellAFailureWithErrorCauseDurationAttemptsAndCost() {
        ObjectNode detail = detail("FAILED").put("error", "exit code 3").put("cause", "NonZeroExit")
                .put("durationSeconds", 12.34).put("attempts", 2).put("costUsd", new BigDecimal("0.0412"));
        assertThat(NotificationText.of(RunEvents.Kind.FAILED, detail))
                .isEqualTo("✖ job etl run etl-1 FAILED: exit code 3 (NonZeroExit) after 12.3 s, 2 attempts, $0.04");
    }

    @Test
    void shouldTellASuccessWithoutAnErrorAndOneAttemptUnsaid() {
        ObjectNode detail = detail("SUCCEEDED").put("durationSeconds", 3725.0).put("attempts", 1)
                .put("costUsd", new BigDecimal("0.003"));
        assertThat(NotificationText.of(RunEvents.Kind.SUCCEEDED, detail))
                .isEqualTo("✔ job etl run etl-1 SUCCEEDED after 1 h 2 min 5 s, $0.0030");
    }

    @Test
    void shouldTellATimeoutAndACancellation() {
        assertThat(NotificationText.of(RunEvents.Kind.TIMED_OUT, detail("TIMED_OUT").put("error", "ran longer than 1h")
                .put("durationSeconds", 3600.2)))
                .isEqualTo("⏱ job etl run etl-1 TIMED OUT: ran longer than 1h after 1 h 0 min 0 s");
        assertThat(NotificationText.of(RunEvents.Kind.CANCELLED, detail("CANCELLED").put("cause", "cancelled by alice")))
                .isEqualTo("⊘ job etl run etl-1 CANCELLED: cancelled by alice");
    }

    @Test
    void shouldTellAMissedDeadlineWithWhereTheRunStood() {
        ObjectNode running = detail("RUNNING").put("fireTime", "2026-12-05T01:00:00Z").put("deadline", "2026-12-05T03:00:00Z");
        assertThat(NotificationText.of(RunEvents.Kind.DEADLINE_MISSED, running)).isEqualTo(
                "⏰ job etl run etl-1 missed its deadline 2026-12-05T03:00:00Z (fired 2026-12-05T01:00:00Z): still RUNNING");
        ObjectNode never = detail("NOT_STARTED").put("fireTime", "2026-12-05T01:00:00Z").put("deadline", "2026-12-05T03:00:00Z");
        assertThat(NotificationText.of(RunEvents.Kind.DEADLINE_MISSED, never)).endsWith("): never started");
        ObjectNode failed = detail("FAILED").put("fireTime", "2026-12-05T01:00:00Z").put("deadline", "2026-12-05T03:00:00Z")
                .put("error", "exit code 1");
        assertThat(NotificationText.of(RunEvents.Kind.DEADLINE_MISSED, failed)).endsWith("): ended FAILED: exit code 1");
    }

    @Test
    void shouldKeepTheLineOneLineAndShort() {
        String text = NotificationText.of(RunEvents.Kind.FAILED, detail("FAILED").put("error", "line one\nline two\t" + "x".repeat(500)));
        assertThat(text).doesNotContain("\n").startsWith("✖ job etl run etl-1 FAILED: line one line two xxx").endsWith("…");
        assertThat(text.length()).isLessThan(NotificationText.MAX_REASON + 40);
    }

    @Test
    void shouldReadTheEventsThePublisherBuilds() {
        Instant start = Instant.parse("2026-12-05T01:00:00Z");
        Run run = new Run("etl-2", "etl", "api", Map.of(), RunStatus.FAILED, start, Optional.of(start.plusSeconds(90)),
                List.of(), Optional.empty(), Optional.of("exit code 3"), Optional.of("NonZeroExit"));
        ObjectNode event = RunEventDocuments.of(run, "team-a", RunEvents.Kind.FAILED, Optional.empty(), start);
        assertThat(NotificationText.of(RunEvents.Kind.FAILED, event.get("detail")))
                .isEqualTo("✖ job etl run etl-2 FAILED: exit code 3 (NonZeroExit)");
    }
}
