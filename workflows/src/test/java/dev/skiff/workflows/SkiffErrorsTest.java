package dev.skiff.workflows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skiff.jobs.FailureKind;
import org.junit.jupiter.api.Test;

class SkiffErrorsTest {

    @Test
    void shouldNameExitCodeWhenCodeIsNonZero() {
        // Given / When
        String name = SkiffErrors.exitCode(137);

        // Then
        assertThat(name).isEqualTo("Skiff.ExitCode.137");
    }

    @Test
    void shouldRejectExitCodeWhenCodeIsZeroOrOutOfRange() {
        // Given / When / Then: 0 is success, and Linux has no exit code above 255
        assertThatThrownBy(() -> SkiffErrors.exitCode(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SkiffErrors.exitCode(256)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldPairSkiffAndStatesNamesWhenKindHasAStepFunctionsEquivalent() {
        // Given / When / Then
        assertThat(SkiffErrors.errorNamesFor(FailureKind.TIMEOUT)).containsExactly("Skiff.Timeout", "States.Timeout");
        assertThat(SkiffErrors.errorNamesFor(FailureKind.LOST)).containsExactly("Skiff.Lost", "States.HeartbeatTimeout");
        assertThat(SkiffErrors.errorNamesFor(FailureKind.START_FAILURE)).containsExactly("Skiff.StartFailed");
    }

    @Test
    void shouldListEveryCodeWhenKindIsExitCode() {
        // Given / When
        var names = SkiffErrors.errorNamesFor(FailureKind.EXIT_CODE);

        // Then
        assertThat(names).hasSize(255).startsWith("Skiff.ExitCode.1").endsWith("Skiff.ExitCode.255");
    }

    @Test
    void shouldRecoverKindWhenNameComesFromErrorNamesFor() {
        // Given / When / Then: the two directions agree for every kind
        for (FailureKind kind : FailureKind.values()) {
            assertThat(SkiffErrors.errorNamesFor(kind))
                    .allSatisfy(name -> assertThat(SkiffErrors.kindOf(name)).contains(kind));
        }
    }

    @Test
    void shouldHaveNoKindWhenErrorIsCancelledOrRejectedOrUnknown() {
        // Given / When / Then: no retry policy can name these, so nothing retries them
        assertThat(SkiffErrors.kindOf(SkiffErrors.CANCELLED)).isEmpty();
        assertThat(SkiffErrors.kindOf(SkiffErrors.START_REJECTED)).isEmpty();
        assertThat(SkiffErrors.kindOf("Skiff.ExitCode.")).isEmpty();
        assertThat(SkiffErrors.kindOf("Skiff.ExitCode.x1")).isEmpty();
        assertThat(SkiffErrors.kindOf("States.Permissions")).isEmpty();
    }
}
