package dev.skiff.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import software.amazon.event.ruler.GenericMachine;

class RuleMachinesTest {

    private static final String EVENT = """
            {"source": "aws.s3", "detail-type": "Object Created"}""";
    private static final String WILD = """
            {"source": [{"wildcard": "aws.*"}]}""";

    @Test
    void shouldTellFuzzyPatternsByTheirMatchersWhereverTheyAre() {
        assertThat(RuleMachines.isFuzzy(WILD)).isTrue();
        assertThat(RuleMachines.isFuzzy("""
                {"detail": {"name": [{"anything-but": {"equals-ignore-case": "x"}}]}}""")).isTrue();
        assertThat(RuleMachines.isFuzzy("""
                {"$or": [{"source": ["a"]}, {"source": [{"prefix": {"equals-ignore-case": "AWS"}}]}]}""")).isTrue();
        assertThat(RuleMachines.isFuzzy("""
                {"source": [{"w\\u0069ldcard": "aws.*"}]}""")).as("an escaped key is the same key").isTrue();
        assertThat(RuleMachines.isFuzzy("""
                {"$or": [{"source": ["aws.s3"]}, {"detail": {"n": [{"numeric": [">", 1]}]}}], "x": [{"anything-but": "y"}]}""")).isFalse();
    }

    @Test
    void shouldKeepDeletedFuzzyRulesOnlyUntilTheyOutnumberLiveOnes() throws Exception {
        // Given three rules with a wildcard, each its own pattern (identical patterns are one rule of the machine)
        String wild2 = """
                {"source": [{"wildcard": "aws.s*"}]}""";
        String wild3 = """
                {"source": [{"wildcard": "*.s3"}]}""";
        var machines = new RuleMachines<String>();
        machines.add("a", WILD);
        machines.add("b", wild2);
        machines.add("c", wild3);

        // When one is deleted, Then it lingers in the machine (matching no rule) while the others match
        machines.delete(Map.of("a", WILD));
        assertThat(machines.lingeringFuzzyRules()).isEqualTo(1);
        assertThat(machines.rulesForJSONEvent(EVENT)).containsExactlyInAnyOrder("b", "c");

        // When a second is deleted, so that deleted ones outnumber live ones, Then the machine holds the live one only
        machines.delete(Map.of("b", wild2));
        assertThat(machines.lingeringFuzzyRules()).isZero();
        assertThat(machines.compiledRules()).isEqualTo(1);
        assertThat(machines.rulesForJSONEvent(EVENT)).containsExactly("c");
        assertThat(machines.rulesForJSONEvent(new ObjectMapper().readTree(EVENT))).containsExactly("c");
    }

    @Test
    void shouldCompileIdenticalPatternsOnceAndMatchEachRuleUntilItsLastIsDeleted() throws Exception {
        // Given three rules on one plain pattern and two on one fuzzy pattern
        String plain = """
                {"source": ["aws.s3"]}""";
        var machines = new RuleMachines<String>();
        for (String rule : List.of("a", "b", "c")) {
            machines.add(rule, plain);
        }
        machines.add("x", WILD);
        machines.add("y", WILD);

        // Then each pattern is compiled once, and every rule matches
        assertThat(machines.compiledRules()).isEqualTo(2);
        assertThat(machines.rulesForJSONEvent(EVENT)).containsExactlyInAnyOrder("a", "b", "c", "x", "y");

        // When all but one of each are deleted, Then the others still match, the compiled patterns stay
        machines.delete(Map.of("a", plain, "b", plain, "x", WILD));
        assertThat(machines.rulesForJSONEvent(EVENT)).containsExactlyInAnyOrder("c", "y");
        assertThat(machines.compiledRules()).isEqualTo(2);

        // When the last of the plain pattern goes, Then it is deleted from its machine
        machines.delete(Map.of("c", plain));
        assertThat(machines.rulesForJSONEvent(EVENT)).containsExactly("y");
        assertThat(machines.compiledRules()).isEqualTo(1);
    }

    /** Patterns sharing values on source and detail-type, plain and fuzzy, so that byte paths overlap every way. */
    private static final List<String> POOL = List.of("""
            {"source": ["aws.s3"]}""", """
            {"source": ["aws.s3", "aws.s4"]}""", """
            {"source": ["aws.s3"], "detail-type": ["aws.s3"]}""", """
            {"$or": [{"source": ["aws.s3"]}, {"detail-type": ["aws.s4"]}]}""", """
            {"source": [{"prefix": "aws"}]}""", """
            {"source": [{"suffix": ".s3"}]}""", """
            {"source": [{"anything-but": ["aws.s3", "aws"]}]}""", """
            {"source": [{"anything-but": {"prefix": "aws"}}]}""", """
            {"source": [{"exists": true}]}""", """
            {"detail": {"n": [{"numeric": [">", 1]}]}, "source": ["aws.s3"]}""", """
            {"$or": [{"source": ["aws.s3"]}, {"source": [{"prefix": "aws.s"}]}]}""", """
            {"source": [{"wildcard": "aws.*"}]}""", """
            {"source": [{"equals-ignore-case": "AWS.S3"}]}""", """
            {"source": [{"prefix": {"equals-ignore-case": "AWS"}}]}""", """
            {"source": [{"anything-but": {"wildcard": "aws.*"}}]}""", """
            {"detail-type": [{"wildcard": "aws*"}]}""");

    @Test
    void shouldMatchAsAFreshMachineAfterAnyHistoryOfAddsAndDeletes() throws Exception {
        // Given events of every combination of values the pool's patterns name
        List<String> values = List.of("aws.s3", "AWS.S3", "aws.s4", "aws", "aws.s3x", "xaws.s3", "com.acme");
        List<String> events = new ArrayList<>();
        for (String source : values) {
            for (String detailType : values) {
                events.add("{\"source\": \"%s\", \"detail-type\": \"%s\", \"detail\": {\"n\": 5}}".formatted(source, detailType));
            }
        }
        var random = new SplittableRandom(20261206L);
        for (int history = 0; history < 30; history++) {
            // When rules of the pool are added and deleted at random (a bare event-ruler 2.1.0 machine strands a rule in
            // about one history in five of these)
            var machines = new RuleMachines<String>();
            Map<String, String> live = new LinkedHashMap<>();
            for (int step = 0; step < 30; step++) {
                if (live.isEmpty() || random.nextInt(3) > 0) {
                    String pattern = POOL.get(random.nextInt(POOL.size()));
                    machines.add("r" + step, pattern);
                    live.put("r" + step, pattern);
                } else {
                    String rule = new ArrayList<>(live.keySet()).get(random.nextInt(live.size()));
                    machines.delete(Map.of(rule, live.remove(rule)));
                }

                // Then the live rules match as in a machine built afresh from them
                var fresh = new GenericMachine<String>();
                for (var rule : live.entrySet()) {
                    fresh.addRule(rule.getKey(), rule.getValue());
                }
                for (String event : events) {
                    Set<String> matched = new HashSet<>(machines.rulesForJSONEvent(event));
                    matched.retainAll(live.keySet());
                    assertThat(matched).as("history %d step %d, %s with %s", history, step, event, live)
                            .isEqualTo(new HashSet<>(fresh.rulesForJSONEvent(event)));
                }
            }
        }
    }
}
