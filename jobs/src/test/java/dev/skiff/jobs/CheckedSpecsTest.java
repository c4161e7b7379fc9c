package dev.skiff.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The kept form of a checked spec reads back as the same spec, without checking it again. */
class CheckedSpecsTest {

    static java.util.List<Path> examples() throws Exception {
        return ExamplesTest.examples();
    }

    @ParameterizedTest
    @MethodSource("examples")
    void shouldReadBackAnEqualSpecWhenAnExampleIsKept(Path example) throws Exception {
        // Given an example checked with its kept form
        var checked = CheckedSpecs.check("jobs/" + example, Files.readString(example));

        // When its kept form is read back
        JobSpec read = CheckedSpecs.read(checked.kept().orElseThrow());

        // Then it is the very spec the check built
        assertThat(read).isEqualTo(checked.result().spec().orElseThrow());
    }

    @Test
    void shouldReadBackEveryFieldWhenARichSpecIsKept() {
        // Given a spec with a field of each kind (numbers, durations, enums, maps, triggers, notifications)
        String yaml = SpecFixtures.MINIMAL + """
                description: all of it
                args: ["--day", "{{ .day }}"]
                environment: {MODE: fast}
                resources: {cpu: 1024, memory: 4096, ephemeralStorage: 30, architecture: ARM64}
                capacity: spot-first
                timeout: 45m
                retries: {maxAttempts: 4, backoff: {interval: 10s, rate: 1.5, maxDelay: 5m}, retryOn: [exit-code], exitCodes: [3, 4]}
                parameters:
                  day: {description: the day, default: today}
                  region: {default: eu-west-1}
                tags: {cost-center: "42"}
                triggers:
                  schedules:
                    - cron: "0 4 * * *"
                      timezone: Europe/Paris
                      misfire: last
                      concurrency: forbid
                      deadline: 10m
                  events:
                    - pattern: {source: [shop], detail-type: [order]}
                      parameters: {day: $.detail.day}
                  after:
                    - job: upstream
                      status: [SUCCEEDED, FAILED]
                """;
        var checked = CheckedSpecs.check(SpecFixtures.SOURCE, yaml);
        assertThat(checked.result().violations()).isEmpty();

        // When
        JobSpec read = CheckedSpecs.read(checked.kept().orElseThrow());

        // Then
        assertThat(read).isEqualTo(checked.result().spec().orElseThrow());
    }

    @Test
    void shouldKeepNothingWhenTheSpecIsInvalid() {
        // Given a spec that breaks a rule
        var checked = CheckedSpecs.check(SpecFixtures.SOURCE, SpecFixtures.MINIMAL + "timeout: forever\n");

        // Then its violations are reported and there is nothing to keep
        assertThat(checked.result().valid()).isFalse();
        assertThat(checked.kept()).isEmpty();
    }

    @Test
    void shouldRefuseToReadWhenTheTextIsNoKeptForm() {
        assertThatThrownBy(() -> CheckedSpecs.read("{\"name\": 3"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CheckedSpecs.read("{\"owner\": \"team-a\"}"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
