package dev.skiff.orchestrator.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.orchestrator.app.Caller;
import dev.skiff.testing.SettableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ConsoleSessionsTest {

    private final SettableClock clock = new SettableClock(Instant.parse("2026-12-06T09:00:00Z"));
    private final ConsoleSessions sessions = new ConsoleSessions(clock, Duration.ofMinutes(30), 3);

    @Test
    void shouldEndASessionWhenItIsIdleForTheTimeout() {
        var session = sessions.open(Caller.team("analytics"));

        clock.advance(Duration.ofMinutes(29));
        assertThat(sessions.use(session.id())).map(ConsoleSession::team).contains("analytics");
        clock.advance(Duration.ofMinutes(29));
        assertThat(sessions.use(session.id())).as("each use restarts the idle time").isPresent();
        clock.advance(Duration.ofMinutes(30));
        assertThat(sessions.use(session.id())).isEmpty();
    }

    @Test
    void shouldEndTheLeastRecentlyUsedSessionWhenTheStoreIsFull() {
        var first = sessions.open(Caller.team("a"));
        clock.advance(Duration.ofSeconds(1));
        var second = sessions.open(Caller.team("b"));
        clock.advance(Duration.ofSeconds(1));
        var third = sessions.open(Caller.team("c"));
        clock.advance(Duration.ofSeconds(1));
        sessions.use(first.id());

        sessions.open(Caller.team("d"));

        assertThat(sessions.use(second.id())).isEmpty();
        assertThat(sessions.use(first.id())).isPresent();
        assertThat(sessions.use(third.id())).isPresent();
    }

    @Test
    void shouldGiveEachSessionItsOwnRandomIdAndCsrfToken() {
        var one = sessions.open(Caller.ANYONE);
        var two = sessions.open(Caller.ANYONE);

        assertThat(one.id()).isNotEqualTo(two.id()).isNotEqualTo(one.csrf()).hasSizeGreaterThanOrEqualTo(43);
        assertThat(ConsoleSessions.csrfMatches(one, one.csrf())).isTrue();
        assertThat(ConsoleSessions.csrfMatches(one, two.csrf())).isFalse();
        assertThat(ConsoleSessions.csrfMatches(one, null)).isFalse();
    }

    @Test
    void shouldForgetASessionWhenItIsClosed() {
        var session = sessions.open(Caller.team("analytics"));

        sessions.close(session.id());

        assertThat(sessions.use(session.id())).isEmpty();
        assertThat(sessions.use(null)).isEmpty();
    }
}
