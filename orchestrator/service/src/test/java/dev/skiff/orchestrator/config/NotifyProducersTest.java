package dev.skiff.orchestrator.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skiff.orchestrator.domain.SkiffException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class NotifyProducersTest {

    private record Config(Optional<Boolean> allowPrivateAddresses, List<Duration> retryDelays) implements NotifyConfig {
        @Override
        public Optional<String> webhookSecret() {
            return Optional.empty();
        }

        @Override
        public Duration attemptTimeout() {
            return Duration.ofSeconds(10);
        }

        @Override
        public int concurrency() {
            return 8;
        }
    }

    private static final List<Duration> DELAYS = List.of(Duration.ofSeconds(1), Duration.ofSeconds(4));

    @Test
    void shouldAllowPrivateAddressesByDefaultOnlyWithTheEmbeddedEngine() {
        var unset = new Config(Optional.empty(), DELAYS);
        assertThat(NotifyProducers.allowPrivateAddresses(unset, ModeChoice.of("embedded", "process"))).isTrue();
        assertThat(NotifyProducers.allowPrivateAddresses(unset, ModeChoice.of("embedded", "fargate"))).isTrue();
        assertThat(NotifyProducers.allowPrivateAddresses(unset, ModeChoice.of("stepfunctions", "fargate"))).isFalse();
        assertThat(NotifyProducers.allowPrivateAddresses(new Config(Optional.of(false), DELAYS),
                ModeChoice.of("embedded", "process"))).isFalse();
        assertThat(NotifyProducers.allowPrivateAddresses(new Config(Optional.of(true), DELAYS),
                ModeChoice.of("stepfunctions", "fargate"))).isTrue();
    }

    @Test
    void shouldRefuseANegativeRetryDelayNamingTheKey() {
        assertThatThrownBy(() -> NotifyProducers.retries(new Config(Optional.empty(), List.of(Duration.ofSeconds(-1)))))
                .isInstanceOf(SkiffException.class).hasMessageStartingWith("skiff.notify: a retry delay must not be negative");
        assertThat(NotifyProducers.retries(new Config(Optional.empty(), DELAYS)).attempts()).isEqualTo(3);
    }
}
