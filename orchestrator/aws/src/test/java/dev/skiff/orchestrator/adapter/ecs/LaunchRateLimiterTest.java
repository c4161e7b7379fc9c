package dev.skiff.orchestrator.adapter.ecs;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The token bucket in front of RunTask, on a hand-moved nanosecond clock. */
class LaunchRateLimiterTest {

    private static final long SECOND = 1_000_000_000L;
    private static final long T0 = 5 * SECOND;

    @Test
    void shouldLetBurstGoAtOnceThenSpaceCallsByRateWhenBucketIsFull() {
        // Given
        var limiter = new LaunchRateLimiter(20, 5, T0);

        // When
        long[] waits = new long[7];
        for (int i = 0; i < waits.length; i++) {
            waits[i] = limiter.reserve(T0, SECOND);
        }

        // Then: five at once, then one every 50 ms
        assertThat(waits).startsWith(0, 0, 0, 0, 0);
        assertThat(waits[5]).isEqualTo(SECOND / 20);
        assertThat(waits[6]).isEqualTo(2 * SECOND / 20);
    }

    @Test
    void shouldRefuseWithoutReservingWhenNoSlotComesInTime() {
        // Given
        var limiter = new LaunchRateLimiter(10, 1, T0);
        limiter.reserve(T0, SECOND);

        // When
        long refused = limiter.reserve(T0, SECOND / 20);
        long next = limiter.reserve(T0, SECOND);

        // Then
        assertThat(refused).isEqualTo(-1);
        assertThat(next).isEqualTo(SECOND / 10);
    }

    @Test
    void shouldHalveRateWhenThrottledAndRecoverGradually() {
        // Given
        var limiter = new LaunchRateLimiter(20, 20, T0);

        // When
        limiter.throttled(T0);
        double afterOne = limiter.ratePerSecond();
        limiter.throttled(T0);
        double afterTwo = limiter.ratePerSecond();
        limiter.reserve(T0 + 2 * SECOND, SECOND);
        double twoSecondsLater = limiter.ratePerSecond();
        limiter.reserve(T0 + 30 * SECOND, SECOND);
        double muchLater = limiter.ratePerSecond();

        // Then
        assertThat(afterOne).isEqualTo(10.0);
        assertThat(afterTwo).isEqualTo(5.0);
        assertThat(twoSecondsLater).isEqualTo(9.0);
        assertThat(muchLater).isEqualTo(20.0);
    }

    @Test
    void shouldMakeNextCallWaitWhenThrottledWithTokensLeft() {
        // Given
        var limiter = new LaunchRateLimiter(20, 20, T0);

        // When
        limiter.throttled(T0);
        long wait = limiter.reserve(T0, SECOND);

        // Then: the saved-up burst is gone and the halved rate spaces the next call
        assertThat(wait).isEqualTo(SECOND / 10);
    }
}
