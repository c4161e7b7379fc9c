package dev.skiff.workflows;

import dev.skiff.jobs.JobSpecs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every job spec under {@code cases/} compiles to exactly its {@code .asl.json}. On a mismatch the
 * actual output lands in {@code target/golden-actual/}, ready to diff or to copy over the expected file.
 */
class WorkflowCompilerGoldenTest {

    private static final Path ACTUAL_DIR = Path.of("target", "golden-actual");

    /**
     * Case names relative to {@code cases/}: single-step jobs at the top (the differential test of the orchestrator
     * runs those), pipelines under {@code pipelines/}.
     */
    static Stream<String> cases() throws IOException, URISyntaxException {
        Path dir = Path.of(WorkflowCompilerGoldenTest.class.getResource("/cases").toURI());
        try (var files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile)
                    .map(path -> dir.relativize(path).toString().replace('\\', '/'))
                    .filter(name -> name.endsWith(".yaml"))
                    .map(name -> name.substring(0, name.length() - ".yaml".length()))
                    .sorted()
                    .toList()
                    .stream();
        }
    }

    @ParameterizedTest
    @MethodSource("cases")
    void shouldMatchGoldenFileWhenCaseCompiles(String name) throws Exception {
        // Given
        var spec = JobSpecs.parse("case.yaml", resource(name + ".yaml"));
        String expected = optionalResource(name + ".asl.json");

        // When
        String actual = WorkflowCompiler.compile(spec);

        // Then
        if (!actual.equals(expected)) {
            Files.createDirectories(ACTUAL_DIR);
            Path written = ACTUAL_DIR.resolve(name + ".asl.json");
            Files.createDirectories(written.getParent());
            Files.writeString(written, actual, StandardCharsets.UTF_8);
            fail("compiled ASL for case %s differs from its golden file; see: diff src/test/resources/cases/%s.asl.json %s",
                    name, name, written);
        }
        assertThat(actual).isEqualTo(expected);
    }

    @Test
    void shouldHaveEveryCaseWhenResourcesAreLoaded() throws Exception {
        // Given / When / Then: a missing directory must not pass as zero green cases
        assertThat(cases()).hasSizeGreaterThanOrEqualTo(12)
                .contains("default-retries", "pipelines/chain", "pipelines/diamond", "pipelines/not-series-parallel",
                        "pipelines/fan-out-tolerated", "pipelines/fan-out-in-parallel", "pipelines/etl",
                        "pipelines/fan-out-fail-fast");
    }

    private static String resource(String name) throws IOException {
        String text = optionalResource(name);
        if (text == null) {
            throw new IOException("missing test resource cases/" + name);
        }
        return text;
    }

    /** Null when absent, so a new case without a golden file fails with its output written out. */
    private static String optionalResource(String name) throws IOException {
        try (var in = WorkflowCompilerGoldenTest.class.getResourceAsStream("/cases/" + name)) {
            return in == null ? null : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
