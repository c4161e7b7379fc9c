package dev.skiff.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Specs parsed one by one share the values they repeat (a catalog of 100,000 specs holds one copy of each), and stay
 * equal to what they would be unshared.
 */
class JobSpecsSharingTest {

    private static final String SPEC = """
            name: %s
            owner: data-team
            image: example/etl:%s
            command: ["sh", "-c", "echo %s"]
            environment: {STAGE: prod}
            tags: {team: data}
            triggers:
              events:
                - pattern: {source: [shop], detail-type: [order]}
            """;

    private static JobSpec parse(String name, String tag) {
        return JobSpecs.parse(name + ".yaml", SPEC.formatted(name, tag, name));
    }

    @Test
    void shouldShareTheDefaultResourcesAndRetriesWhenSpecsGiveNone() {
        JobSpec first = parse("first", "1");
        JobSpec second = parse("second", "1");

        assertThat(second.resources()).isSameAs(first.resources());
        assertThat(second.retries()).isSameAs(first.retries());
        assertThat(second.steps().get(0).resources()).isSameAs(first.resources());
        assertThat(second.steps().get(0).retries()).isSameAs(first.retries());
    }

    @Test
    void shouldShareRepeatedTextWhenSpecsAreParsedApart() {
        JobSpec first = parse("first", "1");
        JobSpec second = parse("second", "1");

        assertThat(second.owner()).isSameAs(first.owner());
        assertThat(second.image()).isSameAs(first.image());
        assertThat(second.command().get(0)).isSameAs(first.command().get(0));
        assertThat(second.command().get(1)).isSameAs(first.command().get(1));
        assertThat(second.environment().get("STAGE")).isSameAs(first.environment().get("STAGE"));
        assertThat(second.tags().get("team")).isSameAs(first.tags().get("team"));
        assertThat(second.triggers().events().get(0).pattern()).isSameAs(first.triggers().events().get(0).pattern());
        assertThat(second.steps().get(0).image()).isSameAs(first.image());
    }

    @Test
    void shouldShareWhenASpecIsReadBackFromItsKeptForm() {
        JobSpec parsed = parse("first", "1");
        String kept = CheckedSpecs.check("second.yaml", SPEC.formatted("second", "1", "second")).kept().orElseThrow();

        JobSpec read = CheckedSpecs.read(kept);

        assertThat(read.image()).isSameAs(parsed.image());
        assertThat(read.owner()).isSameAs(parsed.owner());
        assertThat(read.resources()).isSameAs(parsed.resources());
        assertThat(read.retries()).isSameAs(parsed.retries());
        assertThat(read.timeout()).isSameAs(parsed.timeout());
        assertThat(read.steps().get(0).timeout()).isSameAs(parsed.timeout());
        assertThat(read.triggers().events().get(0).pattern()).isSameAs(parsed.triggers().events().get(0).pattern());
        // The job's one step is made of its fields: the two hold one command list, not a copy each
        assertThat(read.steps().get(0).command()).isSameAs(read.command()).containsExactly("sh", "-c", "echo second");
    }

    @Test
    void shouldShareScheduleExpressions() {
        String text = "triggers:\n  schedules:\n    - cron: \"0 * * * *\"\n";
        JobSpec first = JobSpecs.parse("a.yaml", SpecFixtures.MINIMAL.replace("demo", "a") + text);
        JobSpec second = JobSpecs.parse("b.yaml", SpecFixtures.MINIMAL.replace("demo", "b") + text);

        assertThat(second.triggers().schedules().get(0).expression())
                .isSameAs(first.triggers().schedules().get(0).expression());
    }

    @Test
    void shouldKeepValuesThatDifferWhenSharing() {
        JobSpec first = parse("first", "1");
        JobSpec other = parse("other", "2");

        assertThat(other.image()).isEqualTo("example/etl:2").isNotEqualTo(first.image());
        assertThat(other.command()).containsExactly("sh", "-c", "echo other");
        assertThat(parse("first", "1")).isEqualTo(first);
    }

    @Test
    void shouldKeepGivenResourcesAndRetriesWhenTheyAreNotTheDefaults() {
        JobSpec spec = JobSpecs.parse("big.yaml", SPEC.formatted("big", "1", "big")
                + "resources: {cpu: 1024}\nretries: {maxAttempts: 5}\n");

        assertThat(spec.resources().cpu()).isEqualTo(1024);
        assertThat(spec.resources().memory()).isEqualTo(2048);
        assertThat(spec.retries().maxAttempts()).isEqualTo(5);
        assertThat(spec.retries().interval()).isEqualTo(java.time.Duration.ofSeconds(30));
    }
}
