package dev.skiff.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import org.junit.jupiter.api.Test;

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
        // Given three rules with a wildcard
        var machines = new RuleMachines<String>();
        machines.add("a", WILD);
        machines.add("b", WILD);
        machines.add("c", WILD);

        // When one is deleted, Then it lingers (its matches are the caller's to drop) while the others match
        machines.delete(Map.of("a", WILD));
        assertThat(machines.lingeringFuzzyRules()).isEqualTo(1);
        assertThat(machines.rulesForJSONEvent(EVENT)).containsExactlyInAnyOrder("a", "b", "c");

        // When a second is deleted, so that deleted ones outnumber live ones, Then the machine holds the live one only
        machines.delete(Map.of("b", WILD));
        assertThat(machines.lingeringFuzzyRules()).isZero();
        assertThat(machines.rulesForJSONEvent(EVENT)).containsExactly("c");
        assertThat(machines.rulesForJSONEvent(new ObjectMapper().readTree(EVENT))).containsExactly("c");
    }
}
