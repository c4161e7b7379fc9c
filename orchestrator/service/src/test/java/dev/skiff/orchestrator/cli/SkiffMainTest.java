package dev.skiff.orchestrator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SkiffMainTest {

    @Test
    void shouldServeAtOnceWithoutArgumentsOrWithUpAlone() {
        assertThat(SkiffMain.servesAtOnce()).isTrue();
        assertThat(SkiffMain.servesAtOnce("up")).isTrue();
    }

    @Test
    void shouldLeaveEveryOtherCommandLineToPicocli() {
        // up's own options (--help) and the arguments it hands Quarkus are parsed as before
        assertThat(SkiffMain.servesAtOnce("up", "--help")).isFalse();
        assertThat(SkiffMain.servesAtOnce("up", "-Dquarkus.http.port=0")).isFalse();
        assertThat(SkiffMain.servesAtOnce("demo")).isFalse();
        assertThat(SkiffMain.servesAtOnce("jobs")).isFalse();
    }
}
