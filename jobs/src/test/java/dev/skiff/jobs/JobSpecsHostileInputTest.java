package dev.skiff.jobs;

import static dev.skiff.jobs.SpecFixtures.SOURCE;
import static dev.skiff.jobs.SpecFixtures.violationsOf;
import static dev.skiff.jobs.SpecFixtures.violationsOfMinimalWith;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Specs written to break the reader: every one is a list of violations, never an exception, in bounded time. */
class JobSpecsHostileInputTest {

    private static String withEventPath(String path) {
        return """
                parameters:
                  KEY: {}
                triggers:
                  events:
                    - pattern: {source: [aws.s3]}
                      parameters:
                        KEY: "%s"
                """.formatted(path);
    }

    @Test
    void shouldBoundAnEventPathWhenItHasThousandsOfSegments() {
        var violations = violationsOfMinimalWith(withEventPath("$.detail" + ".a".repeat(5_000)));
        assertThat(violations).singleElement().asString()
                .startsWith(SOURCE + ": triggers.events[0].parameters.KEY: $.detail.a.a")
                .endsWith("must be at most 1024 characters long");
    }

    @Test
    void shouldBoundTheSegmentsOfAnEventPath() {
        var violations = violationsOfMinimalWith(withEventPath("$.detail" + ".a".repeat(40)));
        assertThat(violations).singleElement().asString()
                .startsWith(SOURCE + ": triggers.events[0].parameters.KEY: $.detail.a")
                .endsWith("must have at most 32 segments (has 41)");
    }

    @Test
    void shouldStillAcceptAnEventPathWithIndexes() {
        assertThat(violationsOfMinimalWith(withEventPath("$.detail.items[0].key"))).isEmpty();
    }

    @Test
    void shouldRefuseABinaryScalarWhereTextBelongs() {
        var violations = violationsOf(SpecFixtures.MINIMAL.replace("name: demo", "name: !!binary aGVsbG8=")
                + "description: !!binary aGVsbG8=\n");
        assertThat(violations).contains(
                SOURCE + ": name: is a !!binary value: write plain text (YAML tags other than the standard scalars are not read)",
                SOURCE + ": description: is a !!binary value: write plain text (YAML tags other than the standard scalars are not read)");
    }

    @Test
    void shouldNameTheFullPathOfATaggedValueWhenItIsDeepInListsAndMappings() {
        var violations = violationsOfMinimalWith("""
                triggers:
                  events:
                    - pattern: {source: [shop], detail: {kind: [a, !!binary aGVsbG8=]}}
                """);
        assertThat(violations).containsExactly(SOURCE + ": triggers.events[0].pattern.detail.kind[1]: is a !!binary value:"
                + " write plain text (YAML tags other than the standard scalars are not read)");
    }

    @Test
    void shouldRefuseDocumentsNestedTooDeep() {
        String deep = SpecFixtures.MINIMAL + "description: " + "[".repeat(5_000);
        assertThat(violationsOf(deep)).singleElement().asString().contains("is not valid YAML or JSON").contains("nest");
        String deepJson = "{\"name\": " + "[".repeat(5_000);
        assertThat(violationsOf(deepJson)).singleElement().asString().contains("is not valid YAML or JSON");
    }

    @Test
    void shouldRefuseABillionLaughsInBoundedTime() {
        StringBuilder bomb = new StringBuilder("a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for (char c = 'b'; c <= 'k'; c++) {
            String p = "*" + (char) (c - 1);
            bomb.append(c).append(": &").append(c).append(" [").append(String.join(", ", java.util.Collections.nCopies(9, p))).append("]\n");
        }
        long started = System.nanoTime();
        assertThat(violationsOf(bomb.toString())).isNotEmpty();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
    }

    @Test
    void shouldRefuseANulInAParameterDefaultOrEnvironmentValue() {
        var violations = violationsOfMinimalWith("""
                parameters:
                  P: {default: "a\\0b"}
                environment:
                  E: "x\\0"
                """);
        assertThat(violations).containsExactlyInAnyOrder(
                SOURCE + ": parameters.P.default: a\u0000b must not contain a NUL character (U+0000): an environment variable cannot carry it",
                SOURCE + ": environment.E: x\u0000 must not contain a NUL character (U+0000): an environment variable cannot carry it");
    }
}
