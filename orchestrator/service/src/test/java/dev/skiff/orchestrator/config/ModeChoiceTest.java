package dev.skiff.orchestrator.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skiff.orchestrator.aws.StepFunctionsChannels;
import dev.skiff.orchestrator.domain.SkiffException;
import org.junit.jupiter.api.Test;

class ModeChoiceTest {

    @Test
    void shouldPickEachAllowedCombinationOfEngineAndLauncher() {
        // Given / When / Then the embedded engine takes either launcher, Step Functions only Fargate
        assertThat(ModeChoice.of("embedded", "process"))
                .isEqualTo(new ModeChoice(ModeChoice.Engine.EMBEDDED, ModeChoice.Launcher.PROCESS));
        assertThat(ModeChoice.of("embedded", "fargate"))
                .isEqualTo(new ModeChoice(ModeChoice.Engine.EMBEDDED, ModeChoice.Launcher.FARGATE));
        assertThat(ModeChoice.of("stepfunctions", "fargate"))
                .isEqualTo(new ModeChoice(ModeChoice.Engine.STEP_FUNCTIONS, ModeChoice.Launcher.FARGATE));
        assertThat(ModeChoice.of("stepfunctions", "fargate")).hasToString("engine stepfunctions, launcher fargate");
    }

    @Test
    void shouldNameTheKeyTheValueAndTheAllowedValuesWhenTheEngineIsUnknown() {
        // Given / When / Then
        assertThatThrownBy(() -> ModeChoice.of("step-functions", "fargate")).isInstanceOf(SkiffException.class)
                .hasMessage("skiff.engine: 'step-functions' is not an engine this build has (allowed: embedded, stepfunctions)");
    }

    @Test
    void shouldNameTheKeyTheValueAndTheAllowedValuesWhenTheLauncherIsUnknown() {
        // Given / When / Then
        assertThatThrownBy(() -> ModeChoice.of("embedded", "lambda")).isInstanceOf(SkiffException.class)
                .hasMessage("skiff.launcher: 'lambda' is not a launcher this build has (allowed: process, fargate)");
    }

    @Test
    void shouldRefuseTheProcessLauncherUnderStepFunctionsSayingWhatIsAllowedThere() {
        // Given / When / Then
        assertThatThrownBy(() -> ModeChoice.of("stepfunctions", "process")).isInstanceOf(SkiffException.class)
                .hasMessage("skiff.launcher: 'process' cannot run with skiff.engine=stepfunctions (allowed there: fargate;"
                        + " Step Functions mode learns of tasks' ends from ECS events)");
    }

    @Test
    void shouldTurnOnTheStepFunctionsChannelsOnlyForThatEngine() {
        // Given / When / Then an unknown engine turns nothing on: the start fails on it instead
        assertThat(ModeChoice.channelsOf("stepfunctions"))
                .containsExactly(StepFunctionsChannels.DISPATCH, StepFunctionsChannels.TASK_EVENTS);
        assertThat(ModeChoice.channelsOf("embedded")).isEmpty();
        assertThat(ModeChoice.channelsOf("bogus")).isEmpty();
        assertThat(ModeChoice.channelsOf(null)).isEmpty();
    }
}
