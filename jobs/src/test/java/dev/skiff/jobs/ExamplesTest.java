package dev.skiff.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The examples are the orchestrator's default job directory: each must parse cleanly. */
class ExamplesTest {

    static final Path EXAMPLES = Path.of("examples");

    static List<Path> examples() throws Exception {
        try (Stream<Path> files = Files.list(EXAMPLES)) {
            return files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
        }
    }

    @ParameterizedTest
    @MethodSource("examples")
    void shouldHaveNoViolationsWhenExampleIsChecked(Path example) throws Exception {
        // Given an example as shipped
        String text = Files.readString(example);

        // When
        var result = JobSpecs.check("jobs/" + example, text);

        // Then it is valid, named after its file, and points editors at the schema
        assertThat(result.violations()).isEmpty();
        assertThat(result.spec().orElseThrow().name() + ".yaml").isEqualTo(example.getFileName().toString());
        assertThat(text).startsWith("# yaml-language-server: $schema=../src/main/resources/skiff/job-spec.schema.json\n");
    }

    @org.junit.jupiter.api.Test
    void shouldShipTheFiveDocumentedExamplesWhenListed() throws Exception {
        assertThat(examples()).extracting(p -> p.getFileName().toString()).contains(
                "nightly-sales-etl.yaml", "s3-ingest.yaml", "backfill.yaml", "model-training.yaml", "flaky-export.yaml");
    }
}
