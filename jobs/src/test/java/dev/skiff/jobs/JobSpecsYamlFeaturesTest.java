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
}
