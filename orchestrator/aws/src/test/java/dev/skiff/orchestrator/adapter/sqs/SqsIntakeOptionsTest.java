package dev.skiff.orchestrator.adapter.sqs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class SqsIntakeOptionsTest {

    private static final String INTAKE = "http://127.0.0.1:5000/000000000000/intake";
    private static final String DLQ = "http://127.0.0.1:5000/000000000000/intake-dlq";

    @Test
    void shouldUseTheDocumentedDefaultsWhenOnlyTheQueuesAreGiven() {
        // Given / When
        var options = SqsIntakeOptions.of(INTAKE, DLQ);

        // Then
        assertThat(options.maxReceives()).isEqualTo(5);
        assertThat(options.visibilityTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(options.retryDelay()).isEqualTo(Duration.ofSeconds(15));
        assertThat(options.extendAfter()).isEqualTo(Duration.ofSeconds(20));
    }

    @Test
    void shouldNameTheKeyWhenAValueIsBad() {
        // Given / When / Then
        assertThatThrownBy(() -> SqsIntakeOptions.of(INTAKE, null))
                .hasMessage("skiff.intake.sqs.dead-letter-queue-url: is required once the SQS intake is on");
        assertThatThrownBy(() -> SqsIntakeOptions.of(INTAKE, INTAKE))
                .hasMessageStartingWith("skiff.intake.sqs.dead-letter-queue-url: must not be the intake queue");
        assertThatThrownBy(() -> SqsIntakeOptions.of(INTAKE, DLQ).withMaxReceives(0))
                .hasMessage("skiff.intake.sqs.max-receives: 0 must be at least 1");
        assertThatThrownBy(() -> SqsIntakeOptions.of(INTAKE, DLQ).withVisibilityTimeout(Duration.ofHours(13)))
                .hasMessage("skiff.intake.sqs.visibility-timeout: PT13H must be between 3s and 12h (SQS's limit)");
    }
}
