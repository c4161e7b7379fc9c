package dev.skiff.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class SettableClockTest {

    private static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");

    @Test
    void shouldShowOnlyTheInstantItWasSetOrMovedToWhenRealTimePasses() throws Exception {
        // Given a clock at T0
        SettableClock clock = new SettableClock(T0);

        // When real time passes, then the clock is moved and set
        Thread.sleep(5);
        Instant stillT0 = clock.instant();
        Instant advanced = clock.advance(Duration.ofMinutes(5));
        Instant read = clock.instant();
        clock.set(T0.minusSeconds(1));

        // Then it stood still until moved, moved by exactly what it was told, and went back when set
        assertThat(stillT0).isEqualTo(T0);
        assertThat(advanced).isEqualTo(read).isEqualTo(T0.plus(Duration.ofMinutes(5)));
        assertThat(clock.instant()).isEqualTo(T0.minusSeconds(1));
        assertThat(clock.millis()).isEqualTo(T0.minusSeconds(1).toEpochMilli());
        assertThat(clock.getZone()).isEqualTo(ZoneOffset.UTC);
    }
}
