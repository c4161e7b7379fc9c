package dev.skiff.orchestrator.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.orchestrator.TestSpecs;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class JobCatalogTest {

    @Test
    void shouldCountAsLoadedOnceTheRegistryWasReadEvenWhenItHeldNoJob() throws Exception {
        // Given a catalog nobody has filled yet
        var catalog = new JobCatalog();
        assertThat(catalog.awaitLoaded(Duration.ofMillis(50))).isFalse();

        // When the first read of an empty registry is over
        catalog.markLoaded();

        // Then whoever waits for the first read goes on
        assertThat(catalog.awaitLoaded(Duration.ofMillis(50))).isTrue();
    }

    @Test
    void shouldCountAsLoadedWhenJobsArePublished() throws Exception {
        // Given a catalog
        var catalog = new JobCatalog();

        // When a registry publishes its jobs
        catalog.replace(List.of(new RegisteredJob(TestSpecs.shell("etl", "true"), "etl.yaml")), List.of());

        // Then it is loaded, with the job
        assertThat(catalog.awaitLoaded(Duration.ZERO)).isTrue();
        assertThat(catalog.find("etl")).isPresent();
    }
}
