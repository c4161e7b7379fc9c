package dev.skiff.trigger;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.testing.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CachedSigningSecretTest {

    @Test
    void shouldReadTheSourceOnceWithinTheTtlAndAgainAfterIt() {
        // Given
        var reads = new AtomicInteger();
        var clock = new SettableClock(Instant.parse("2026-11-26T08:00:00Z"));
        var secret = new CachedSigningSecret(() -> "v" + reads.incrementAndGet(), Duration.ofMinutes(5), clock);
        // When / Then
        assertThat(secret.value()).isEqualTo("v1");
        clock.advance(Duration.ofMinutes(4));
        assertThat(secret.value()).isEqualTo("v1");
        clock.advance(Duration.ofMinutes(1));
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
        }, Duration.ofMinutes(5), new SettableClock(Instant.parse("2026-11-26T08:00:00Z")));
        try {
            secret.value();
        } catch (IllegalStateException expected) {
            // the first read fails
        }
        assertThat(secret.value()).isEqualTo("v");
    }
}
