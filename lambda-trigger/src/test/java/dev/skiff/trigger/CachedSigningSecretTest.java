package dev.skiff.trigger;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CachedSigningSecretTest {

    /** A clock the test moves by hand. */
    private static final class MovableClock extends Clock {
        private Instant now = Instant.parse("2026-11-26T08:00:00Z");

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void shouldReadTheSourceOnceWithinTheTtlAndAgainAfterIt() {
        // Given
        var reads = new AtomicInteger();
        var clock = new MovableClock();
        var secret = new CachedSigningSecret(() -> "v" + reads.incrementAndGet(), Duration.ofMinutes(5), clock);
        // When / Then
        assertThat(secret.value()).isEqualTo("v1");
        clock.now = clock.now.plus(Duration.ofMinutes(4));
        assertThat(secret.value()).isEqualTo("v1");
        clock.now = clock.now.plus(Duration.ofMinutes(1));
        assertThat(secret.value()).isEqualTo("v2");
        assertThat(reads).hasValue(2);
    }

    @Test
    void shouldReadAgainWhenTheSourceFailedBefore() {
        var reads = new AtomicInteger();
        var secret = new CachedSigningSecret(() -> {
            if (reads.incrementAndGet() == 1) {
                throw new IllegalStateException("throttled");
            }
            return "v";
        }, Duration.ofMinutes(5), new MovableClock());
        try {
            secret.value();
        } catch (IllegalStateException expected) {
            // the first read fails
        }
        assertThat(secret.value()).isEqualTo("v");
    }
}
