package dev.skiff.jobs;

import static dev.skiff.jobs.SpecFixtures.SOURCE;
import static dev.skiff.jobs.SpecFixtures.violationsOf;
import static dev.skiff.jobs.SpecFixtures.violationsOfMinimalWith;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Rules the JSON Schema enforces, reported in Skiff's words. */
class JobSpecsStructureTest {

    @Test
    void shouldReportLineAndColumnWhenYamlIsMalformed() {
        // Given a document with a mapping value where none may be
        String yaml = "name: demo\n  owner: team-a\n";

        // When it is checked
        var violations = violationsOf(yaml);

        // Then one violation names the parser's position
        assertThat(violations).containsExactly(
                SOURCE + ": is not valid YAML or JSON at line 2, column 8: mapping values are not allowed here");
    }

    @Test
    void shouldReportDuplicateKeyWhenAFieldIsWrittenTwice() {
        // Given a spec that sets name twice
        String yaml = "name: a\nname: b\n";

        // When / Then the second one is reported, not silently kept
        assertThat(violationsOf(yaml)).containsExactly(
                SOURCE + ": is not valid YAML or JSON at line 2, column 5: Duplicate field 'name'");
    }

    @Test
    void shouldReportEmptyDocumentWhenTextIsBlank() {
        // Given / When / Then
        assertThat(violationsOf("  \n")).containsExactly(
                SOURCE + ": is empty: expected a job spec (a mapping with name, owner, image, command)");
    }

    @Test
    void shouldReadJsonWhenSpecIsWrittenAsJson() {
        // Given the minimal spec as JSON
        String json = """
                {"name": "demo", "owner": "team-a", "image": "demo:1", "command": ["true"], "timeout": "PT2H"}
                """;

        // When it is parsed
        var spec = JobSpecs.parse(SOURCE, json);

        // Then it reads like YAML does
        assertThat(spec.name()).isEqualTo("demo");
        assertThat(spec.timeout()).hasHours(2);
    }

    @Test
    void shouldListKnownFieldsWhenAFieldIsUnknown() {
        // Given a misspelt resources field
        var violations = violationsOfMinimalWith("resources:\n  memroy: 1024\n");

        // Then the violation names the field and the fields that exist
        assertThat(violations).containsExactly(SOURCE
                + ": resources.memroy: is not a known field (known: architecture, cpu, ephemeralStorage, memory)");
    }

    @Test
    void shouldReportEachMissingRequiredFieldWhenAbsent() {
        // Given a spec with only a name
        var violations = violationsOf("name: demo\n");

        // Then every required field is named
        assertThat(violations).containsExactly(
                SOURCE + ": owner: is required",
                SOURCE + ": image: is required",
                SOURCE + ": command: is required");
    }

    @Test
    void shouldNameExpectedTypeWhenTypeIsWrong() {
        // Given memory written as text
        var violations = violationsOfMinimalWith("resources:\n  memory: lots\n");

        // Then
        assertThat(violations).containsExactly(SOURCE + ": resources.memory: lots must be an integer");
    }

    @Test
    void shouldListAllowedValuesWhenEnumValueIsWrong() {
        // Given / When
        var violations = violationsOfMinimalWith("capacity: spot\n");

        // Then
        assertThat(violations).containsExactly(SOURCE + ": capacity: spot must be one of: spot-first, spot-only, on-demand");
    }

    @Test
    void shouldListAllowedCpuSizesWhenCpuIsNotAFargateSize() {
        assertThat(violationsOfMinimalWith("resources:\n  cpu: 3000\n")).containsExactly(
                SOURCE + ": resources.cpu: 3000 must be one of: 256, 512, 1024, 2048, 4096, 8192, 16384");
    }

    @Test
    void shouldExplainNameRuleWhenNameHasUppercaseOrUnderscore() {
        // Given
        String yaml = SpecFixtures.MINIMAL.replace("name: demo", "name: Nightly_ETL");

        // When / Then
        assertThat(violationsOf(yaml)).containsExactly(SOURCE
                + ": name: Nightly_ETL must be lowercase letters, digits and '-', starting and ending with a letter or digit");
    }

    @Test
    void shouldReportLengthWhenNameIsLongerThan48() {
        String name = "a".repeat(49);
        assertThat(violationsOf(SpecFixtures.MINIMAL.replace("name: demo", "name: " + name)))
                .containsExactly(SOURCE + ": name: " + name + " must be at most 48 characters long");
    }

    @Test
    void shouldQuoteEmptyValueWhenOwnerIsEmpty() {
        assertThat(violationsOf(SpecFixtures.MINIMAL.replace("owner: team-a", "owner: \"\"")))
                .containsExactly(SOURCE + ": owner: \"\" must be lowercase letters, digits and '-', starting and ending with a letter or digit");
    }

    @Test
    void shouldRequireACommandWhenCommandIsEmpty() {
        assertThat(violationsOf(SpecFixtures.MINIMAL.replace("command: [\"sh\", \"-c\", \"echo hi\"]", "command: []")))
                .containsExactly(SOURCE + ": command: [] must have at least 1 item");
    }

    @Test
    void shouldRejectEnvironmentNameWhenNotAVariableName() {
        assertThat(violationsOfMinimalWith("environment:\n  1BAD: x\n")).containsExactly(SOURCE
                + ": environment.1BAD: 1BAD must be a valid environment variable name ([A-Za-z_][A-Za-z0-9_]*)");
    }

    @Test
    void shouldRejectDurationWhenSyntaxIsUnknown() {
        assertThat(violationsOfMinimalWith("timeout: 5 minutes\n"))
                .containsExactly(SOURCE + ": timeout: 5 minutes must be a duration like 90s, 30m, 1h30m or PT2H");
    }

    @Test
    void shouldReportRangeWhenNumbersAreOutOfBounds() {
        // Given three numbers out of range
        var violations = violationsOfMinimalWith("""
                resources:
                  ephemeralStorage: 20
                retries:
                  maxAttempts: 11
                  backoff:
                    rate: 0.5
                  exitCodes: [0]
                  retryOn: [exit-code]
                """);

        // Then each is reported with its bound
        assertThat(violations).containsExactlyInAnyOrder(
                SOURCE + ": resources.ephemeralStorage: 20 must be at least 21",
                SOURCE + ": retries.maxAttempts: 11 must be at most 10",
                SOURCE + ": retries.backoff.rate: 0.5 must be at least 1.0",
                SOURCE + ": retries.exitCodes[0]: 0 must be at least 1");
    }

    @Test
    void shouldPointIntoListsWhenAnItemIsWrong() {
        var violations = violationsOfMinimalWith("""
                retries:
                  retryOn: [timeout, crash]
                triggers:
                  schedules:
                    - timezone: UTC
                """);
        assertThat(violations).containsExactlyInAnyOrder(
                SOURCE + ": retries.retryOn[1]: crash must be one of: exit-code, timeout, start-failure, lost",
                SOURCE + ": triggers.schedules[0].cron: is required");
    }

    @Test
    void shouldLimitTagsWhenMoreThan40() {
        // Given 41 tags
        var tags = new StringBuilder("tags:\n");
        for (int i = 0; i < 41; i++) {
            tags.append("  t").append(i).append(": v\n");
        }

        // When / Then
        assertThat(violationsOfMinimalWith(tags.toString())).containsExactly(SOURCE + ": tags: must have at most 40 entries (has 41)");
    }

    @Test
    void shouldLimitTagValueWhenLongerThan256() {
        String value = "v".repeat(257);
        assertThat(violationsOfMinimalWith("tags:\n  team: " + value + "\n"))
                .containsExactly(SOURCE + ": tags.team: " + "v".repeat(79) + "… must be at most 256 characters long");
    }

    @Test
    void shouldRequireEventPathSyntaxWhenPathLacksDollarDot() {
        var violations = violationsOfMinimalWith("""
                parameters:
                  KEY: {}
                triggers:
                  events:
                    - pattern: {source: [aws.s3]}
                      parameters:
                        KEY: detail.object.key
                """);
        assertThat(violations).containsExactly(SOURCE
                + ": triggers.events[0].parameters.KEY: detail.object.key must be an event path starting with $. (like $.detail.object.key)");
    }

    @Test
    void shouldReportEveryProblemAtOnceWhenDocumentHasMany() {
        // Given a spec with problems of every kind
        String yaml = """
                name: Bad_Name
                owner: team-a
                command: ["run"]
                gpu: 1
                resources: {cpu: 1024, memory: 16384}
                capacity: spotty
                timeout: 8d
                triggers:
                  schedules:
                    - cron: "61 2 * * *"
                """;

        // When
        var result = JobSpecs.check(SOURCE, yaml);

        // Then all are reported, no spec is built, and parse throws with the same lines
        assertThat(result.valid()).isFalse();
        assertThat(result.spec()).isEmpty();
        assertThat(result.violations()).map(Violation::toString).containsExactlyInAnyOrder(
                SOURCE + ": name: Bad_Name must be lowercase letters, digits and '-', starting and ending with a letter or digit",
                SOURCE + ": image: is required",
                SOURCE + ": gpu: is not a known field (known: args, capacity, command, description, environment, image, name, notify,"
                        + " owner, parameters, resources, retries, secrets, steps, tags, timeout, triggers)",
                SOURCE + ": capacity: spotty must be one of: spot-first, spot-only, on-demand",
                SOURCE + ": resources.memory: 16384 is not valid with cpu 1024 (allowed 2048-8192 in steps of 1024)",
                SOURCE + ": timeout: 8d must be between 1s and 7d",
                SOURCE + ": triggers.schedules[0].cron: 61 2 * * * is not a valid Unix cron expression: Value 61 not in range [0, 59]");
        assertThatThrownBy(() -> JobSpecs.parse(SOURCE, yaml))
                .isInstanceOf(InvalidJobSpecException.class)
                .hasMessage(String.join("\n", result.violations().stream().map(Violation::toString).toList()))
                .satisfies(e -> assertThat(((InvalidJobSpecException) e).violations()).hasSize(7));
    }

    @Test
    void shouldNotEchoSecretWhenSecretValueHasWrongType() {
        // Given a secret written as a number: it may be a PIN, so even the type error must not show it
        var violations = violationsOfMinimalWith("secrets:\n  TOKEN: 12345678901234\n");

        // Then only its first characters are shown
        assertThat(violations).containsExactly(SOURCE + ": secrets.TOKEN: 1234… must be a string");
    }
}
