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

        // Then it is the very spec the check built, and so is the spec of a form made again from it (a keeper writes those)
        assertThat(read).isEqualTo(checked.result().spec().orElseThrow());
        assertThat(CheckedSpecs.read(CheckedSpecs.kept(read))).isEqualTo(checked.result().spec().orElseThrow());
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
        assertThat(CheckedSpecs.read(CheckedSpecs.kept(read))).isEqualTo(checked.result().spec().orElseThrow());
    }

    @Test
    void shouldReadBackEveryStepFieldWhenAPipelineWithNotificationsIsKept() {
        // Given a pipeline whose steps give fields of their own, read references, fan out, and a job that notifies
        String yaml = """
                name: etl
                owner: team-a
                command: ["sh", "-c"]
                retries: {maxAttempts: 2, retryOn: [exit-code, lost]}
                parameters:
                  day: {required: true}
                steps:
                  - name: extract
                    image: example/extract:1
                    args: ["extract $DAY"]
                    parameters: {DAY: $.parameters.day, MODE: plain text}
                  - name: transform
                    image: example/transform:1
                    dependsOn: [extract]
                    resources: {cpu: 512, memory: 2048}
                    timeout: 5m
                    forEach: {items: $.steps.extract.output.parts, maxConcurrency: 3, toleratedFailures: "10%"}
                    parameters: {PART: $.item.name}
                  - name: load
                    image: example/load:1
                    dependsOn: [transform]
                    forEach: {list: regions, toleratedFailures: 2}
                notify:
                  failed: ["https://hooks.example.com/services/T0/B0?token=abc", "arn:aws:sns:eu-west-1:123456789012:alerts", log]
                  deadline-missed: [log]
                """;
        var checked = CheckedSpecs.check(SpecFixtures.SOURCE, yaml);
        assertThat(checked.result().violations()).isEmpty();
        assertThat(checked.result().spec().orElseThrow().isPipeline()).isTrue();

        // When
        JobSpec read = CheckedSpecs.read(checked.kept().orElseThrow());

        // Then the same spec, its maps in the same order
        JobSpec expected = checked.result().spec().orElseThrow();
        assertThat(read).isEqualTo(expected);
        assertThat(read.steps().get(0).parameters().keySet()).containsExactlyElementsOf(expected.steps().get(0).parameters().keySet());
        assertThat(read.notifications().isEmpty()).isFalse();
    }

    @Test
    void shouldKeepTextsOfAnyCharactersWhenTheyLookLikeTheFormItself() {
        // Given texts holding the form's own separators, digits and characters outside Latin-1
        var checked = CheckedSpecs.check(SpecFixtures.SOURCE, SpecFixtures.MINIMAL
                + "description: \"3:abc;~ 12; \u00e9t\u00e9 \uD83D\uDE80\"\nenvironment: {A: \"~\", B: \"\", C: \"7;\"}\n");
        assertThat(checked.result().violations()).isEmpty();

        // When / Then
        assertThat(CheckedSpecs.read(checked.kept().orElseThrow())).isEqualTo(checked.result().spec().orElseThrow());
    }

    @Test
    void shouldRefuseToReadWhenTheKeptFormIsDamaged() {
        String kept = CheckedSpecs.check(SpecFixtures.SOURCE, SpecFixtures.MINIMAL).kept().orElseThrow();

        // cut short, with a byte more, a length running past the end, a text where a number is, a number that is none
        for (String damaged : java.util.List.of(kept.substring(0, kept.length() - 1), kept + "0;",
                kept.substring(0, kept.length() / 2), "999:" + kept, "0;" + kept.substring(2),
                kept.replaceFirst("\\d+;", "1x;"), "")) {
            assertThatThrownBy(() -> CheckedSpecs.read(damaged)).as(damaged).isInstanceOf(IllegalArgumentException.class);
        }
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
