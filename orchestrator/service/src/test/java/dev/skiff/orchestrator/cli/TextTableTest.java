package dev.skiff.orchestrator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TextTableTest {

    @Test
    void shouldWidenAColumnForALongValueAndKeepTheNextColumnsAligned() {
        // Given a table whose OWNER column is usually 8 wide, and one owner longer than that
        var bytes = new ByteArrayOutputStream();
        var table = new TextTable().left("JOB", 6).left("OWNER", 8).right("RUNS", 4).left("NOTE", 4)
                .row("etl", "partner-integrations", 12, "ok")
                .row("report", "bi", 3, "-");

        // When
        table.print(new PrintStream(bytes, true, StandardCharsets.UTF_8));

        // Then every row starts its columns at the same place, numbers end at the column's edge, no trailing blanks
        assertThat(bytes.toString(StandardCharsets.UTF_8).lines()).containsExactly(
                "JOB    OWNER                RUNS NOTE",
                "etl    partner-integrations   12 ok",
                "report bi                      3 -");
    }
}
