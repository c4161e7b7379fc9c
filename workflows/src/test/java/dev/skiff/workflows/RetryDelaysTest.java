package dev.skiff.workflows;

import static dev.skiff.workflows.Policies.policy;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryDelaysTest {

    @Test
    void shouldGrowDelayByBackoffRateWhenRetriesRepeat() {
        // Given
        var policy = policy(5, Duration.ofSeconds(10), 2.0, Duration.ofHours(1));

        // When
        var schedule = RetryDelays.schedule(policy);

        // Then
        assertThat(schedule).containsExactly(
                Duration.ofSeconds(10), Duration.ofSeconds(20), Duration.ofSeconds(40), Duration.ofSeconds(80));
    }

    @Test
    void shouldCapDelayAtMaxDelayWhenGrowthExceedsIt() {
        // Given
        var policy = policy(6, Duration.ofSeconds(30), 3.0, Duration.ofMinutes(5));

        // When
        var schedule = RetryDelays.schedule(policy);

        // Then: 30, 90, 270, then capped at 300
        assertThat(schedule).containsExactly(Duration.ofSeconds(30), Duration.ofSeconds(90),
                Duration.ofSeconds(270), Duration.ofSeconds(300), Duration.ofSeconds(300));
    }

    @Test
    void shouldKeepMillisecondsWhenRateIsFractional() {
        // Given
        var policy = policy(4, Duration.ofSeconds(3), 1.5, Duration.ofMinutes(10));

        // When / Then
        assertThat(RetryDelays.retryDelay(policy, 3)).isEqualTo(Duration.ofMillis(6750));
    }

    @Test
    void shouldRoundIntervalUpToWholeSecondsWhenSpecHasFractions() {
        // Given: ASL IntervalSeconds is an integer >= 1, so both engines wait the rounded-up value
        var subSecond = policy(2, Duration.ofMillis(200), 2.0, Duration.ofMinutes(1));
        var fractional = policy(2, Duration.ofMillis(1500), 2.0, Duration.ofMinutes(1));

        // When / Then
        assertThat(RetryDelays.retryDelay(subSecond, 1)).isEqualTo(Duration.ofSeconds(1));
        assertThat(RetryDelays.retryDelay(fractional, 1)).isEqualTo(Duration.ofSeconds(2));
        assertThat(RetryDelays.intervalSeconds(fractional)).isEqualTo(2);
    }

    @Test
    void shouldHaveNoRetriesWhenMaxAttemptsIsOne() {
        // Given
        var policy = policy(1, Duration.ofSeconds(10), 2.0, Duration.ofMinutes(1));

        // When / Then
        assertThat(RetryDelays.retries(policy)).isZero();
        assertThat(RetryDelays.schedule(policy)).isEmpty();
    }

    @Test
    void shouldKeepBackingOffUpToCapWhenRetryNumberExceedsPolicyRetries() {
        // Given: a spot-only relaunch backs off like a retry even where the policy allows none
        var policy = policy(1, Duration.ofSeconds(10), 2.0, Duration.ofSeconds(60));

        // When / Then
        assertThat(RetryDelays.retryDelay(policy, 1)).isEqualTo(Duration.ofSeconds(10));
        assertThat(RetryDelays.retryDelay(policy, 3)).isEqualTo(Duration.ofSeconds(40));
        assertThat(RetryDelays.retryDelay(policy, 2_000)).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void shouldRejectRetryNumberWhenBelowOne() {
        // Given
        var policy = policy(3, Duration.ofSeconds(10), 2.0, Duration.ofMinutes(1));

        // When / Then
        assertThatThrownBy(() -> RetryDelays.retryDelay(policy, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldClampToAslMaximumWhenMaxDelayExceedsIt() {
        // Given: two years of cap, longer than any execution can last
        var policy = policy(3, Duration.ofSeconds(10), 2.0, Duration.ofDays(730));

        // When / Then
        assertThat(RetryDelays.maxDelaySeconds(policy)).isEqualTo(31_622_400L);
    }
}
