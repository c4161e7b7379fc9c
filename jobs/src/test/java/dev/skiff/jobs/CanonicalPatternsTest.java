package dev.skiff.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class CanonicalPatternsTest {

    private static JsonNode tree(String json) throws Exception {
        return new ObjectMapper().readTree(json);
    }

    @Test
    void shouldWriteAPatternOnceWhenTheRuleAndTheMapperBothAskForIt() throws Exception {
        // Given a document's pattern, written with its keys out of order
        var patterns = new CanonicalPatterns();
        JsonNode pattern = tree("{\"source\": [\"shop\"], \"detail-type\": [\"order\"]}");

        // When its text is asked for twice
        String first = patterns.of(pattern);
        String second = patterns.of(pattern);

        // Then it is the canonical text, and the very same string: written once
        assertThat(first).isEqualTo("{\"detail-type\":[\"order\"],\"source\":[\"shop\"]}");
        assertThat(second).isSameAs(first);
    }

    @Test
    void shouldWriteEachPatternOfADocumentWhenItHasSeveral() throws Exception {
        var patterns = new CanonicalPatterns();
        String first = patterns.of(tree("{\"source\": [\"a\"]}"));
        String second = patterns.of(tree("{\"source\": [\"b\"]}"));
        assertThat(first).isEqualTo("{\"source\":[\"a\"]}");
        assertThat(second).isEqualTo("{\"source\":[\"b\"]}");
    }
}
