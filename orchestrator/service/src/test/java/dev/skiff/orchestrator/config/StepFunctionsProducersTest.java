package dev.skiff.orchestrator.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skiff.orchestrator.domain.SkiffException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StepFunctionsProducersTest {

    private static final String ROLE = "arn:aws:iam::123456789012:role/skiff-sfn";
    private static final String QUEUE = "https://sqs.us-east-1.amazonaws.com/123456789012/skiff-dispatch";

    @Test
    void shouldCompileWithTheConfiguredQueueRoleAndTimingsWhenEverythingIsSet() {
        // Given every skiff.sfn key
        var config = config(Optional.of(ROLE), Optional.of(QUEUE), "acme-", Duration.ofMinutes(2), Duration.ofMinutes(3));

        // When the state machine options are made
        var options = StepFunctionsProducers.options(config);

        // Then they carry each value
        assertThat(options.roleArn()).isEqualTo(ROLE);
        assertThat(options.namePrefix()).isEqualTo("acme-");
        assertThat(options.compile().dispatchQueueUrl()).isEqualTo(QUEUE);
        assertThat(options.compile().heartbeat()).isEqualTo(Duration.ofMinutes(2));
        assertThat(options.compile().launchAllowance()).isEqualTo(Duration.ofMinutes(3));
    }

    @Test
    void shouldNameTheMissingKeyWhenTheRoleOrTheQueueIsNotSet() {
        // Given configurations without the role, and without the queue
        var noRole = config(Optional.empty(), Optional.of(QUEUE), "skiff-", Duration.ofMinutes(5), Duration.ofMinutes(10));
        var noQueue = config(Optional.of(ROLE), Optional.of(" "), "skiff-", Duration.ofMinutes(5), Duration.ofMinutes(10));

        // When options are made from each
        // Then each fails naming its key
        assertThatThrownBy(() -> StepFunctionsProducers.options(noRole)).isInstanceOf(SkiffException.class)
                .hasMessageStartingWith("skiff.sfn.role-arn: required with skiff.engine=stepfunctions");
        assertThatThrownBy(() -> StepFunctionsProducers.options(noQueue)).isInstanceOf(SkiffException.class)
                .hasMessageStartingWith("skiff.sfn.dispatch-queue-url: required with skiff.engine=stepfunctions");
    }

    @Test
    void shouldRefuseToStartWithoutATaskTokenKeyOrWithAWeakOneNeverEchoingIt() {
        // Given no token key, and a key of 20 characters
        var none = config(Optional.of(ROLE), Optional.of(QUEUE), "skiff-", Duration.ofMinutes(5), Duration.ofMinutes(10),
                Optional.empty());
        var weak = config(Optional.of(ROLE), Optional.of(QUEUE), "skiff-", Duration.ofMinutes(5), Duration.ofMinutes(10),
                Optional.of(List.of("a-strong-enough-key-0123456789abcdef", "short-key-0123456789")));

        // When the seal is made from each
        // Then each fails naming the key (and its place in the list), never showing a key
        var producers = new StepFunctionsProducers();
        assertThatThrownBy(() -> producers.seal(none)).isInstanceOf(SkiffException.class)
                .hasMessageStartingWith("skiff.sfn.token-keys: required");
        assertThatThrownBy(() -> producers.seal(weak)).isInstanceOf(SkiffException.class)
                .hasMessageStartingWith("skiff.sfn.token-keys[1]: a key of 20 characters")
                .hasMessageNotContaining("short-key").hasMessageNotContaining("strong-enough");
    }

    @Test
    void shouldRefuseWhenTheHeartbeatIsNotWholeSeconds() {
        // Given a heartbeat ASL cannot express
        var config = config(Optional.of(ROLE), Optional.of(QUEUE), "skiff-", Duration.ofMillis(1500), Duration.ofMinutes(10));

        // When options are made
        // Then the error names the area and the rule
        assertThatThrownBy(() -> StepFunctionsProducers.options(config)).isInstanceOf(SkiffException.class)
                .hasMessageStartingWith("skiff.sfn: heartbeat must be a whole number of seconds");
    }

    @Test
    void shouldRefuseAReconcileIntervalLongerThanHalfTheHeartbeat() {
        // Given a heartbeat of 90 s, with the default sweep every 60 s
        var config = config(Optional.of(ROLE), Optional.of(QUEUE), "skiff-", Duration.ofSeconds(90), Duration.ofMinutes(10));

        // When the reconciler's interval is checked
        // Then a step could time out between two sweeps, and the error says so; half the heartbeat passes
        assertThatThrownBy(() -> StepFunctionsProducers.checkReconcileInterval(config)).isInstanceOf(SkiffException.class)
                .hasMessage("skiff.sfn.reconcile-interval: PT1M must be at most half of skiff.sfn.heartbeat (PT1M30S),"
                        + " or a running step times out between two sweeps");
        StepFunctionsProducers.checkReconcileInterval(config(Optional.of(ROLE), Optional.of(QUEUE), "skiff-",
                Duration.ofMinutes(2), Duration.ofMinutes(10)));
    }

    @Test
    void shouldRefuseANegativeRegisterRateAndTakeZeroAsNoWarming() {
        // Given a negative rate of background warming
        var config = config(Optional.of(ROLE), Optional.of(QUEUE), "skiff-", Duration.ofMinutes(5), Duration.ofMinutes(10),
                Optional.of(List.of("a-test-key-of-at-least-32-characters")), -1);

        // When it is checked
        // Then the error names the key, the value and the rule; 0 (no warming) passes
        assertThatThrownBy(() -> StepFunctionsProducers.checkRegisterRate(config)).isInstanceOf(SkiffException.class)
                .hasMessage("skiff.sfn.register-rate: -1.0 must be 0 (no background warming) or a positive number of jobs"
                        + " per second");
        StepFunctionsProducers.checkRegisterRate(config(Optional.of(ROLE), Optional.of(QUEUE), "skiff-",
                Duration.ofMinutes(5), Duration.ofMinutes(10), Optional.of(List.of("a-test-key-of-at-least-32-characters")), 0));
    }

    @Test
    void shouldRefuseAnUnscheduledRegisterRateOfZeroAndTakeOneAboveTheRegisterRate() {
        // Given jobs with no schedule never warmed
        var config = config(Optional.of(ROLE), Optional.of(QUEUE), "skiff-", Duration.ofMinutes(5), Duration.ofMinutes(10),
                Optional.of(List.of("a-test-key-of-at-least-32-characters")), 2, 0);

        // When it is checked
        // Then the error names the key, the value and the rule; a rate above register-rate passes (it is capped)
        assertThatThrownBy(() -> StepFunctionsProducers.checkRegisterRate(config)).isInstanceOf(SkiffException.class)
                .hasMessage("skiff.sfn.unscheduled-register-rate: 0.0 must be a positive number of jobs per second"
                        + " (taken as skiff.sfn.register-rate when above it)");
        StepFunctionsProducers.checkRegisterRate(config(Optional.of(ROLE), Optional.of(QUEUE), "skiff-",
                Duration.ofMinutes(5), Duration.ofMinutes(10), Optional.of(List.of("a-test-key-of-at-least-32-characters")),
                0.1, 0.2));
    }

    @Test
    void shouldRefuseARoleArnThatIsNoIamRoleArn() {
        // Given a role that is no IAM role's ARN (the machines' account is read from it)
        var config = config(Optional.of("skiff-sfn"), Optional.of(QUEUE), "skiff-", Duration.ofMinutes(5), Duration.ofMinutes(10));

        // When options are made
        // Then the error names the area, the value and the shape
        assertThatThrownBy(() -> StepFunctionsProducers.options(config)).isInstanceOf(SkiffException.class)
                .hasMessage("skiff.sfn: roleArn must be an IAM role ARN (arn:aws:iam::<account>:role/<name>), got 'skiff-sfn'");
    }

    private static StepFunctionsConfig config(Optional<String> role, Optional<String> queue, String prefix,
                                              Duration heartbeat, Duration allowance) {
        return config(role, queue, prefix, heartbeat, allowance, Optional.of(List.of("a-test-key-of-at-least-32-characters")));
    }

    private static StepFunctionsConfig config(Optional<String> role, Optional<String> queue, String prefix,
                                              Duration heartbeat, Duration allowance, Optional<List<String>> keys) {
        return config(role, queue, prefix, heartbeat, allowance, keys, 2);
    }

    private static StepFunctionsConfig config(Optional<String> role, Optional<String> queue, String prefix,
                                              Duration heartbeat, Duration allowance, Optional<List<String>> keys,
                                              double registerRate) {
        return config(role, queue, prefix, heartbeat, allowance, keys, registerRate, 0.2);
    }

    private static StepFunctionsConfig config(Optional<String> role, Optional<String> queue, String prefix,
                                              Duration heartbeat, Duration allowance, Optional<List<String>> keys,
                                              double registerRate, double unscheduledRate) {
        return new StepFunctionsConfig() {
            @Override
            public double registerRate() {
                return registerRate;
            }

            @Override
            public double unscheduledRegisterRate() {
                return unscheduledRate;
            }

            @Override
            public Duration registerAhead() {
                return Duration.ofMinutes(30);
            }

            @Override
            public Optional<String> roleArn() {
                return role;
            }

            @Override
            public Optional<String> dispatchQueueUrl() {
                return queue;
            }

            @Override
            public Optional<List<String>> tokenKeys() {
                return keys;
            }

            @Override
            public Optional<String> taskEventsQueueUrl() {
                return Optional.of("http://sqs.example/task-events");
            }

            @Override
            public Optional<String> runEventsBus() {
                return Optional.empty();
            }

            @Override
            public Duration reconcileInterval() {
                return Duration.ofMinutes(1);
            }

            @Override
            public Duration dispatchVisibilityTimeout() {
                return Duration.ofMinutes(2);
            }

            @Override
            public Duration taskEventsVisibilityTimeout() {
                return Duration.ofMinutes(1);
            }

            @Override
            public int dispatchConcurrency() {
                return 8;
            }

            @Override
            public String namePrefix() {
                return prefix;
            }

            @Override
            public Duration heartbeat() {
                return heartbeat;
            }

            @Override
            public Duration launchAllowance() {
                return allowance;
            }
        };
    }
}
