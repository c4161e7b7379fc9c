package dev.skiff.orchestrator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code skiff validate}: specs checked without a server. */
class ValidateCommandTest {

    @TempDir
    Path dir;

    @Test
    void shouldReportEachFileAndExit1WhenOneIsInvalid() throws IOException {
        // Given a good spec and a broken one
        String good = Files.writeString(dir.resolve("good.yaml"), """
                name: good
                owner: analytics
                image: example/good:1
                command: ["true"]
                """).toString();
        String broken = Files.writeString(dir.resolve("broken.yaml"), "name: Broken_Name\n").toString();

        // When / Then the text report
        CliRun text = CliRun.of(Map.of(), "validate", good, broken);
        assertThat(text.exit()).isEqualTo(1);
        assertThat(text.lines()).contains(good + ": ok (job good)", "1 valid, 1 invalid");
        assertThat(text.out()).contains(broken + ": name: Broken_Name");

        // And with --output json, one object per file
        CliRun json = CliRun.of(Map.of(), "validate", "-o", "json", good, broken, dir.resolve("missing.yaml").toString());
        assertThat(json.exit()).isEqualTo(1);
        JsonNode files = json.json();
        assertThat(files).hasSize(3);
        assertThat(files.get(0).toString()).isEqualTo("{\"file\":\"" + good + "\",\"valid\":true,\"job\":\"good\"}");
        assertThat(files.get(1).path("valid").asBoolean()).isFalse();
        assertThat(files.get(1).path("problems").get(0).asText()).startsWith(broken + ": name: Broken_Name");
        assertThat(files.get(2).path("problems").get(0).asText()).startsWith("cannot read the file");
    }

    @Test
    void shouldExit2WithUsageWithoutAFile() {
        // Given / When / Then
        CliRun none = CliRun.of(Map.of(), "validate");
        assertThat(none.exit()).isEqualTo(2);
        assertThat(none.err()).contains("Missing required parameter", "Usage: skiff validate");
    }
}
