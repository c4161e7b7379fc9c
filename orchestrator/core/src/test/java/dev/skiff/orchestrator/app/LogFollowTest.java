package dev.skiff.orchestrator.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skiff.jobs.Capacity;
import dev.skiff.orchestrator.app.LogFollow.Event;
import dev.skiff.orchestrator.domain.MalformedRequestException;
import dev.skiff.orchestrator.domain.NotReadyException;
import dev.skiff.orchestrator.port.TaskLogs;
import dev.skiff.workflows.Attempt;
import dev.skiff.workflows.StepOutcome;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** One follower's decisions: what to send, when to look again, when to stop. */
class LogFollowTest {

    private static final LogFollow.Timing TIMING = new LogFollow.Timing(Duration.ofSeconds(1), Duration.ofSeconds(5), 2);
    private static final Instant T0 = Instant.parse("2026-12-06T00:00:00Z");

    private final ScriptedCursor cursor = new ScriptedCursor();
    private final AtomicReference<Optional<Attempt>> attempt = new AtomicReference<>(Optional.of(attempt(Optional.empty())));
    private final LogFollow follow = new LogFollow(cursor, 2, attempt::get, () -> "CANCELLED", TIMING);

    @Test
    void linesCarryTheAttemptAndPositionAsTheirId() {
        cursor.reads.add(List.of(new TaskLogs.Line("hello", "f6")));

        assertThat(follow.poll().events()).containsExactly(new Event.Line("2.f6", "hello"));
        assertThat(LogFollow.parseId("2.f6")).isEqualTo(new LogFollow.Resume(2, "f6"));
    }

    @Test
    void aQuietLogIsReadLessOftenUntilLinesComeAgain() {
        List<Duration> delays = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            delays.add(follow.poll().delay());
        }
        cursor.reads.add(List.of(new TaskLogs.Line("x", "f2")));
        delays.add(follow.poll().delay());

        assertThat(delays).containsExactly(Duration.ofSeconds(2), Duration.ofSeconds(4), Duration.ofSeconds(5),
                Duration.ofSeconds(5), Duration.ofSeconds(1));
    }

    @Test
    void anEndedAttemptIsReadOnceMoreIncludingAnUnfinishedLineThenEnds() {
        attempt.set(Optional.of(attempt(Optional.of(new StepOutcome.Exited(3)))));
        cursor.reads.add(List.of(new TaskLogs.Line("almost", "f7")));
        cursor.reads.add(List.of());
        cursor.reads.add(List.of(new TaskLogs.Line("last words", "f18")));

        LogFollow.Poll lines = follow.poll();
        LogFollow.Poll quiet = follow.poll();
        LogFollow.Poll last = follow.poll();

        assertThat(lines.done()).isFalse();
        assertThat(quiet.done()).isFalse();
        assertThat(quiet.delay()).isEqualTo(TIMING.interval());
        assertThat(last.done()).isTrue();
        assertThat(last.events()).containsExactly(new Event.Line("2.f18", "last words"), new Event.End("FAILED", Optional.of(3)));
        assertThat(cursor.lastFlags).containsExactly(false, false, true);
    }

    @Test
    void theEngineIsAskedOnlyWhenTheLogIsQuiet() {
        int[] asked = {0};
        LogFollow counting = new LogFollow(cursor, 2, () -> {
            asked[0]++;
            return attempt.get();
        }, () -> "RUNNING", TIMING);
        cursor.reads.add(List.of(new TaskLogs.Line("a", "f2")));
        cursor.reads.add(List.of(new TaskLogs.Line("b", "f4")));

        counting.poll();
        counting.poll();
        assertThat(asked[0]).isZero();
        counting.poll();
        assertThat(asked[0]).isEqualTo(1);
    }

    @Test
    void theEndSaysHowTheAttemptEnded() {
        assertThat(endOf(Optional.of(new StepOutcome.Succeeded()))).isEqualTo(new Event.End("SUCCEEDED", Optional.of(0)));
        assertThat(endOf(Optional.of(new StepOutcome.TimedOut()))).isEqualTo(new Event.End("TIMED_OUT", Optional.empty()));
        assertThat(endOf(Optional.of(new StepOutcome.Cancelled("by a person")))).isEqualTo(new Event.End("CANCELLED", Optional.empty()));
        assertThat(endOf(Optional.of(new StepOutcome.SpotInterrupted("reclaimed")))).isEqualTo(new Event.End("FAILED", Optional.empty()));
    }

    @Test
    void anAttemptThatIsGoneEndsTheFollowWithTheRunsStatus() {
        attempt.set(Optional.empty());

        follow.poll();
        assertThat(follow.poll().events()).containsExactly(new Event.End("CANCELLED", Optional.empty()));
    }

    @Test
    void aStoreThatCannotBeReadIsAskedAgainThenTheFollowEndsWithAnError() {
        cursor.failures = 10;

        LogFollow.Poll first = follow.poll();
        LogFollow.Poll second = follow.poll();
        LogFollow.Poll third = follow.poll();

        assertThat(List.of(first, second)).allSatisfy(p -> assertThat(p.done()).isFalse());
        assertThat(first.delay()).isEqualTo(Duration.ofSeconds(2));
        assertThat(third.done()).isTrue();
        assertThat(third.events()).containsExactly(new Event.Failure("The log could not be read", "throttled"));
    }

    @Test
    void aReadThatSucceedsForgivesTheFailuresBeforeIt() {
        cursor.failures = 2;
        follow.poll();
        follow.poll();
        follow.poll(); // succeeds
        cursor.failures = 2;

        assertThat(follow.poll().done()).isFalse();
        assertThat(follow.poll().done()).isFalse();
    }

    @Test
    void anUnexpectedErrorEndsTheFollowInsteadOfLeavingItHanging() {
        LogFollow broken = new LogFollow(cursor, 1, () -> {
            throw new IllegalStateException("database closed");
        }, () -> "RUNNING", TIMING);

        assertThat(broken.poll()).satisfies(p -> assertThat(p.done()).isTrue())
                .satisfies(p -> assertThat(p.events()).containsExactly(new Event.Failure("The log could not be read", "database closed")));
    }

    @Test
    void aResumeStartsAfterThePositionAndSendsNoTail() {
        assertThat(follow.start(100, Optional.of(new LogFollow.Resume(2, "f12")))).isEmpty();
        assertThat(cursor.resumedAfter).isEqualTo("f12");
    }

    @Test
    void aResumeAtAPositionTheCursorRefusesIsA400NamingTheHeader() {
        assertThatThrownBy(() -> follow.start(100, Optional.of(new LogFollow.Resume(2, "nonsense"))))
                .isInstanceOf(MalformedRequestException.class)
                .hasMessage("Last-Event-ID: 2.nonsense is not a position in the log of attempt 2: no such position");
    }

    @Test
    void anIdThatNoFollowerWasSentIsA400() {
        for (String id : List.of("", "x", "1", "1.", ".f1", "0.f1", "-1.f1", "a.f1", "1234567890.f1", "1." + "f".repeat(100))) {
            assertThatThrownBy(() -> LogFollow.parseId(id)).as(id).isInstanceOf(MalformedRequestException.class)
                    .hasMessageStartingWith("Last-Event-ID: ");
        }
    }

    private Event endOf(Optional<StepOutcome> outcome) {
        attempt.set(Optional.of(attempt(outcome)));
        LogFollow ending = new LogFollow(new ScriptedCursor(), 1, attempt::get, () -> "FAILED", TIMING);
        ending.poll();
        List<Event> events = ending.poll().events();
        return events.get(events.size() - 1);
    }

    private static Attempt attempt(Optional<StepOutcome> outcome) {
        return new Attempt(2, Capacity.SPOT_FIRST, "4711", "local", "/tmp/a.log", T0, T0.plusSeconds(3600),
                Optional.empty(), outcome, outcome.map(o -> T0.plusSeconds(60)), Optional.empty());
    }

    /** A cursor that answers reads from a script: lines, or failures first. */
    private static final class ScriptedCursor implements TaskLogs.Cursor {
        final Deque<List<TaskLogs.Line>> reads = new ArrayDeque<>();
        final List<Boolean> lastFlags = new ArrayList<>();
        int failures;
        String resumedAfter;

        @Override
        public List<TaskLogs.Line> tail(int lines) {
            return List.of();
        }

        @Override
        public void resumeAfter(String position) {
            if (!position.startsWith("f")) {
                throw new IllegalArgumentException("no such position");
            }
            resumedAfter = position;
        }

        @Override
        public List<TaskLogs.Line> next(boolean last) {
            if (failures > 0) {
                failures--;
                throw new NotReadyException("throttled");
            }
            lastFlags.add(last);
            return reads.isEmpty() ? List.of() : reads.poll();
        }
    }
}
