package dev.skiff.workflows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.skiff.jobs.StepValue;
import dev.skiff.jobs.ValueRef;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RunValuesTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode json(String text) throws Exception {
        return JSON.readTree(text);
    }

    private static ValueRef ref(String text) {
        return ValueRef.parse(text).orElseThrow();
    }

    private static StepValue value(String text) {
        return new StepValue(text, ValueRef.parse(text));
    }

    private final RunValues values;

    RunValuesTest() throws Exception {
        values = new RunValues(Map.of("DATE", "2026-12-05", "PARTS", "[\"a\",\"b\"]", "N", "3"),
                Map.of("extract", json("{\"table\": \"sales\", \"rows\": 42, \"meta\": {\"parts\": [1, 2]}}")),
                Optional.of(json("{\"name\": \"p1\", \"size\": 10}")));
    }

    @Test
    void shouldGiveTextAsItIsAndOtherJsonAsJson() {
        assertThat(values.text(value("$.parameters.DATE"))).isEqualTo("2026-12-05");
        assertThat(values.text(value("$.steps.extract.output.table"))).isEqualTo("sales");
        assertThat(values.text(value("$.steps.extract.output.rows"))).isEqualTo("42");
        assertThat(values.text(value("$.steps.extract.output.meta"))).isEqualTo("{\"parts\":[1,2]}");
        assertThat(values.text(value("$.item.name"))).isEqualTo("p1");
        assertThat(values.text(value("$.item"))).isEqualTo("{\"name\":\"p1\",\"size\":10}");
        assertThat(values.text(value("plain text"))).isEqualTo("plain text");
    }

    @Test
    void shouldReadItemsFromAParameterOrAnOutput() {
        assertThat(values.items(ref("$.parameters.PARTS"))).hasSize(2);
        assertThat(values.items(ref("$.steps.extract.output.meta.parts")).toString()).isEqualTo("[1,2]");
    }

    @Test
    void shouldSayWhatIsMissingWhenAReferenceNamesNothing() {
        assertThatThrownBy(() -> values.text(value("$.steps.extract.output.meta.owner")))
                .isInstanceOf(RunValues.UnresolvableException.class)
                .hasMessage("$.steps.extract.output.meta.owner: $.steps.extract.output.meta is an object without a field owner");
        assertThatThrownBy(() -> values.text(value("$.steps.extract.output.table.x")))
                .hasMessage("$.steps.extract.output.table.x: $.steps.extract.output.table is text without a field x");
        assertThatThrownBy(() -> new RunValues(Map.of(), Map.of(), Optional.empty()).text(value("$.steps.load.output")))
                .hasMessage("$.steps.load.output: step load wrote no output (SKIFF_OUTPUT)");
        assertThatThrownBy(() -> values.items(ref("$.parameters.N")))
                .hasMessage("$.parameters.N is a number, not a JSON array of items");
    }

    @Test
    void shouldRefuseMoreItemsThanAFanOutTakes() throws Exception {
        var many = JSON.createArrayNode();
        for (int i = 0; i <= RunValues.MAX_ITEMS; i++) {
            many.add(i);
        }
        var big = new RunValues(Map.of("ITEMS", many.toString()), Map.of(), Optional.empty());

        assertThatThrownBy(() -> big.items(ref("$.parameters.ITEMS")))
                .hasMessage("$.parameters.ITEMS has 1001 items; a fan-out takes at most 1000");
        var wide = JSON.createArrayNode().add("x".repeat(RunValues.MAX_BYTES));
        assertThatThrownBy(() -> RunValues.checkSize("listing", wide))
                .hasMessageStartingWith("listing is 262148 bytes of items; a fan-out takes at most 262144");
    }
}
