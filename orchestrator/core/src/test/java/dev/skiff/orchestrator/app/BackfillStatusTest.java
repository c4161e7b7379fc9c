package dev.skiff.orchestrator.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.orchestrator.app.BackfillStatus.FireRun;
import dev.skiff.orchestrator.app.BackfillStatus.State;
import dev.skiff.orchestrator.domain.Backfill;
import dev.skiff.workflows.RunStatus;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A backfill's status, worked out from its fires' runs. */
class BackfillStatusTest {

    private static final Instant FROM = Instant.parse("2026-11-01T00:00:00Z");
    private static final Backfill BACKFILL = new Backfill(Backfill.idOf("daily", 0, FROM, FROM.plusSeconds(86_400 * 4)),
            "daily", 0, FROM, FROM.plusSeconds(86_400 * 4), 2, FROM.plusSeconds(86_400 * 30), false, false);

    private static FireRun fire(int day, RunStatus status) {
        return new FireRun(FROM.plusSeconds(86_400L * day), "daily-c-" + day, Optional.ofNullable(status));
    }

    @Test
    void shouldCountStartedRunningSucceededAndFailedWhenSomeFiresHaveNoRunYet() {
        // Given four fires: one succeeded, one timed out, one pending, one not started
        var runs = List.of(fire(0, RunStatus.SUCCEEDED), fire(1, RunStatus.TIMED_OUT), fire(2, RunStatus.PENDING),
                fire(3, null));

        // When the status is worked out
        BackfillStatus status = BackfillStatus.of(BACKFILL, runs);

        // Then it counts each, and is still running
        assertThat(status.planned()).isEqualTo(4);
        assertThat(status.started()).isEqualTo(3);
        assertThat(status.running()).isEqualTo(1);
        assertThat(status.succeeded()).isEqualTo(1);
        assertThat(status.failed()).isEqualTo(1);
        assertThat(status.state()).isEqualTo(State.RUNNING);
        assertThat(status.ended()).isFalse();
    }

    @Test
    void shouldBeFailedWhenEveryRunEndedAndOneWasCancelled() {
        // Given every fire's run ended, one of them cancelled
        var runs = List.of(fire(0, RunStatus.SUCCEEDED), fire(1, RunStatus.CANCELLED));

        // When the status is worked out
        BackfillStatus status = BackfillStatus.of(BACKFILL, runs);

        // Then it ended, FAILED
        assertThat(status.ended()).isTrue();
        assertThat(status.state()).isEqualTo(State.FAILED);
        assertThat(BackfillStatus.of(BACKFILL, List.of(fire(0, RunStatus.SUCCEEDED))).state()).isEqualTo(State.SUCCEEDED);
    }

    @Test
    void shouldBeCancelledWhenTheBackfillWasCancelledWhileRunsWereActive() {
        // Given a cancelled backfill with a run still running
        BackfillStatus status = BackfillStatus.of(BACKFILL.cancel(), List.of(fire(0, RunStatus.RUNNING), fire(1, null)));

        // Then it shows CANCELLED, and the run still running
        assertThat(status.state()).isEqualTo(State.CANCELLED);
        assertThat(status.running()).isEqualTo(1);
    }

    @Test
    void shouldNameTheSameBackfillWhenTheSameJobScheduleAndRangeAreAskedAgain() {
        Instant to = FROM.plusSeconds(3600);
        assertThat(Backfill.idOf("daily", 0, FROM, to)).isEqualTo(Backfill.idOf("daily", 0, FROM, to))
                .startsWith("daily-b-").hasSize("daily-b-".length() + 16)
                .isNotEqualTo(Backfill.idOf("daily", 1, FROM, to))
                .isNotEqualTo(Backfill.idOf("daily", 0, FROM, to.plusSeconds(1)));
    }
}
