package dev.skiff.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What authors write in YAML beyond plain fields, read as they mean it. */
class JobSpecsYamlFeaturesTest {

    @Test
    void shouldReadCommentsBlockScalarsAndAnchorsWhenASpecUsesThem() {
        // Given a spec with comments, a literal and a folded block, and an anchored value
        String text = """
                # the nightly job
                name: demo   # its name
                owner: &team team-a
                description: |
                  line one
                  line two
                image: 123456789012.dkr.ecr.eu-west-1.amazonaws.com/demo:1.0
                command:
                  - sh
                  - >
                    folded
                    text
                environment:
                  A: "1"  # quoted, so text
                """;

        // When it is checked
        var result = JobSpecs.check("demo.yaml", text);

        // Then each value is the one written
        assertThat(result.violations()).isEmpty();
        JobSpec spec = result.spec().orElseThrow();
        assertThat(spec.owner()).isEqualTo("team-a");
        assertThat(spec.description()).isEqualTo("line one\nline two\n");
        assertThat(spec.command()).isEqualTo(List.of("sh", "folded text\n"));
        assertThat(spec.environment()).isEqualTo(Map.of("A", "1"));
    }

    private static final String IMAGE = "image: 123456789012.dkr.ecr.eu-west-1.amazonaws.com/demo:1.0\n";

    @Test
    void shouldGiveEachAliasItsAnchorsValueWhenASpecRepeatsAScalarAMappingOrAList() {
        // Given a spec whose aliases name a scalar, a mapping and a list anchored before them
        String text = """
                name: demo
                owner: &team team-a
                """ + IMAGE + """
                command: &cmd [sh, -c, "echo hi"]
                environment:
                  A: "1"
                  B: two
                args: *cmd
                tags: {team: *team, other: x}
                """;

        // When it is checked
        var result = JobSpecs.check("demo.yaml", text);

        // Then each alias reads as the value its anchor holds
        assertThat(result.violations()).isEmpty();
        JobSpec spec = result.spec().orElseThrow();
        assertThat(spec.tags()).isEqualTo(Map.of("team", "team-a", "other", "x"));
        assertThat(spec.command()).isEqualTo(List.of("sh", "-c", "echo hi"));
        assertThat(spec.args()).isEqualTo(spec.command());
        assertThat(spec.environment()).isEqualTo(Map.of("A", "1", "B", "two"));
    }

    @Test
    void shouldRefuseAnAliasWhenItNamesNoAnchorBeforeIt() {
        String text = "name: demo\nowner: *team\n" + IMAGE + "command: [sh]\n";

        assertRefused(text, "line 2", "the alias *team names no anchor (&team) written before it");
    }

    @Test
    void shouldRefuseAnAliasWhenItIsAKey() {
        String text = "name: &n demo\nowner: team-a\n" + IMAGE + "command: [sh]\ntags:\n  *n : x\n";

        assertRefused(text, "line 6", "AliasEvent");
    }

    @Test
    void shouldRefuseABillionLaughsWhenItsAliasesWouldExpandPastTheBound() {
        // Given ten levels, each anchoring a list of two aliases of the level before: 2^10 copies of the first
        StringBuilder text = new StringBuilder("name: demo\nowner: team-a\n" + IMAGE + "command: [sh]\ntags: {}\n");
        text.append("x0: &l0 [").append("\"lol\", ".repeat(20)).append("\"lol\"]\n");
        for (int level = 1; level <= 10; level++) {
            text.append("x").append(level).append(": &l").append(level).append(" [*l").append(level - 1)
                    .append(", *l").append(level - 1).append("]\n");
        }

        assertRefused(text.toString(), "the aliases expand to more than " + SpecReader.MAX_EXPANDED_TOKENS + " values");
    }

    @Test
    void shouldRefuseMoreAliasesThanTheLimitWhenEachIsSmall() {
        StringBuilder text = new StringBuilder("name: demo\nowner: &o team-a\n" + IMAGE + "command: [sh]\ntags:\n");
        for (int i = 0; i <= SpecReader.MAX_ALIASES; i++) {
            text.append("  t").append(i).append(": *o\n");
        }

        assertRefused(text.toString(), "more than " + SpecReader.MAX_ALIASES + " aliases");
    }

    @Test
    void shouldRefuseNestingPastTheLimitWhenAliasesAddTheDepth() {
        // Given 30 levels anchored, placed 30 levels deep: each half is within the limit of 40, the whole is not
        String deep = "[".repeat(30) + "x" + "]".repeat(30);
        String text = "name: demo\nowner: team-a\n" + IMAGE + "command: [sh]\nd: &d " + deep + "\ne: "
                + "[".repeat(30) + "*d" + "]".repeat(30) + "\n";

        assertRefused(text, "nests deeper than " + SpecReader.MAX_NESTING_DEPTH);
    }

    /** The spec is refused with one violation whose rule holds every fragment. */
    private static void assertRefused(String text, String... fragments) {
        var result = JobSpecs.check("demo.yaml", text);

        assertThat(result.spec()).isEmpty();
        assertThat(result.violations()).singleElement().satisfies(v -> assertThat(v.rule()).contains(fragments));
    }
}
