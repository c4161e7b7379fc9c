package dev.skiff.trigger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TriggerConfigTest {

    @Test
    void shouldUseTheDefaultsWhenOnlyTheSecretIsSet() {
        // When
        TriggerConfig config = TriggerConfig.fromEnvironment(Map.of("SKIFF_SIGNING_SECRET_ARN", "arn:aws:secretsmanager:us-east-1:1:secret:hook"));
        // Then
        assertThat(config.target()).isEqualTo(TriggerConfig.Target.EVENTBRIDGE);
        assertThat(config.eventBus()).isEqualTo("default");
        assertThat(config.secretTtl()).isEqualTo(Duration.ofMinutes(5));
        assertThat(config.maxBodyBytes()).isEqualTo(65536);
        assertThat(config.jobsDirectory()).isEmpty();
        assertThat(config.webhooksEnabled()).isTrue();
    }

    @Test
    void shouldReadEverySettingWhenAllAreSet() {
        TriggerConfig config = TriggerConfig.fromEnvironment(Map.of(
                "SKIFF_TARGET", "sqs", "SKIFF_INTAKE_QUEUE_URL", "https://sqs.us-east-1.amazonaws.com/1/intake",
                "SKIFF_SIGNING_SECRET_PARAMETER", "/skiff/webhook-secret", "SKIFF_SIGNING_SECRET_TTL_SECONDS", "60",
                "SKIFF_MAX_BODY_BYTES", "2048", "SKIFF_JOBS_DIR", "/opt/skiff-jobs", "AWS_REGION", "eu-central-1"));
        assertThat(config.target()).isEqualTo(TriggerConfig.Target.SQS);
        assertThat(config.intakeQueueUrl()).contains("https://sqs.us-east-1.amazonaws.com/1/intake");
        assertThat(config.secretParameter()).contains("/skiff/webhook-secret");
        assertThat(config.secretTtl()).isEqualTo(Duration.ofSeconds(60));
        assertThat(config.maxBodyBytes()).isEqualTo(2048);
        assertThat(config.jobsDirectory()).contains(Path.of("/opt/skiff-jobs"));
        assertThat(config.region()).contains("eu-central-1");
        assertThat(config.endpoint()).isEqualTo(Optional.empty());
    }

    @Test
    void shouldNameEveryBadVariableWhenTheEnvironmentIsWrong() {
        assertThatThrownBy(() -> TriggerConfig.fromEnvironment(Map.of(
                "SKIFF_TARGET", "kinesis", "SKIFF_SIGNING_SECRET_ARN", "a", "SKIFF_SIGNING_SECRET_PARAMETER", "b",
                "SKIFF_MAX_BODY_BYTES", "1MB")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("""
                        the trigger function is misconfigured:
                        SKIFF_TARGET: kinesis must be eventbridge or sqs
                        SKIFF_SIGNING_SECRET_ARN and SKIFF_SIGNING_SECRET_PARAMETER: set one, not both
                        SKIFF_MAX_BODY_BYTES: 1MB must be a whole number from 1 to 204800""");
    }

    @Test
    void shouldRequireTheQueueUrlWhenTheTargetIsSqs() {
        assertThatThrownBy(() -> TriggerConfig.fromEnvironment(Map.of("SKIFF_TARGET", "sqs")))
                .hasMessageContaining("SKIFF_INTAKE_QUEUE_URL: is required when SKIFF_TARGET is sqs");
    }

    @Test
    void shouldDisableWebhooksWhenNoSecretIsConfigured() {
        assertThat(TriggerConfig.fromEnvironment(Map.of()).webhooksEnabled()).isFalse();
    }
}
