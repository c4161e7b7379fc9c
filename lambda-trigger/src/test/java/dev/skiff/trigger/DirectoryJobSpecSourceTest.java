package dev.skiff.trigger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirectoryJobSpecSourceTest {

    @TempDir
    Path dir;

    @Test
    void shouldFindTheSpecWhenTheFileIsNamedAfterTheJob() {
        var source = new DirectoryJobSpecSource(Fixtures.specsDirectory());
        assertThat(source.find("backfill")).map(spec -> spec.parameters().size()).contains(3);
        assertThat(source.find("nightly-sales-etl")).isEmpty();
    }

    @Test
    void shouldNotFindTheJobWhenTheFileDeclaresAnotherName() throws IOException {
        Files.copy(Fixtures.specsDirectory().resolve("backfill.yaml"), dir.resolve("other.yaml"));
        assertThat(new DirectoryJobSpecSource(dir).find("other")).isEmpty();
    }

    @Test
    void shouldNameTheFileWhenTheSpecIsInvalid() throws IOException {
        Files.writeString(dir.resolve("broken.yaml"), "name: broken\ncolour: red\n");
        assertThatThrownBy(() -> new DirectoryJobSpecSource(dir).find("broken"))
                .hasMessageContaining("broken.yaml is not valid");
    }

    @Test
    void shouldPublishUncheckedAndLogWhyWhenTheJobsSpecIsInvalid() throws IOException {
        // Given a bundled spec that does not validate
        Files.writeString(dir.resolve("backfill.yaml"), "name: backfill\ncolour: red\n");
        var publisher = new RecordingEventPublisher();
        var logged = new ByteArrayOutputStream();
        var handler = new WebhookHandler(() -> Fixtures.SECRET, publisher, Optional.of(new DirectoryJobSpecSource(dir)),
                1024, Fixtures.CLOCK, new TriggerLog(new PrintStream(logged, true, StandardCharsets.UTF_8)));
        // When
        APIGatewayV2HTTPResponse response = handler.handle(Fixtures.json("apigw-v2-webhook.json"), "a");
        // Then the orchestrator, which keeps the job's last valid version, decides
        assertThat(response.getStatusCode()).isEqualTo(202);
        assertThat(logged.toString(StandardCharsets.UTF_8)).contains("job spec unavailable, parameters not checked job=backfill");
    }
}
