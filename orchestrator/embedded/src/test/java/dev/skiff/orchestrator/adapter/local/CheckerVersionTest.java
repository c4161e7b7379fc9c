package dev.skiff.orchestrator.adapter.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.jobs.CheckedSpecs;
import org.junit.jupiter.api.Test;

class CheckerVersionTest {

    @Test
    void shouldNameTheKeptFormAndHashTheCheckersCodeTheSameWayEachTime() {
        String version = CheckerVersion.current();

        assertThat(version).matches(java.util.regex.Pattern.quote(CheckedSpecs.FORMAT) + "/[0-9a-f]{64}");
        assertThat(CheckerVersion.current()).isEqualTo(version);
    }
}
