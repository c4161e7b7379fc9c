package dev.skiff.orchestrator.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged service keeps the specs it checked in its data directory, and starts again from them. */
class SpecCacheIT {

    private static final String SPEC = """
            name: cached
            owner: it
            image: example/cached:1
            command: ["true"]
            """;

    @TempDir
    Path work;

    @Test
    void shouldWriteTheSpecCacheOwnerOnlyAfterTheFirstLoadAndStartAgainFromIt() throws Exception {
        // Given a job directory
        Path data = work.resolve("data");
        Path jobs = Files.createDirectories(work.resolve("jobs"));
        Files.writeString(jobs.resolve("cached.yaml"), SPEC);

        // When the service starts, then starts again
        try (var service = ServiceProcess.start(data, jobs, work.resolve("first.log"), Map.of())) {
            // Then the first start wrote the cache, for its user alone
            Path cache = data.resolve("spec-cache.bin");
            assertThat(cache).isRegularFile();
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(cache))).isEqualTo("rw-------");
        }
        try (var service = ServiceProcess.start(data, jobs, work.resolve("second.log"), Map.of())) {
            // And the second serves the job
            assertThat(service.get("/jobs/cached").toString()).contains("example/cached:1");
        }
        assertThat(work.resolve("second.log")).content().doesNotContain("spec cache");
    }

    @Test
    void shouldWriteNoCacheWhenTurnedOff() throws Exception {
        Path data = work.resolve("data");
        Path jobs = Files.createDirectories(work.resolve("jobs"));
        Files.writeString(jobs.resolve("cached.yaml"), SPEC);

        try (var service = ServiceProcess.start(data, jobs, work.resolve("off.log"), Map.of("skiff.jobs.spec-cache", "false"))) {
            assertThat(service.get("/jobs/cached").path("name").asText()).isEqualTo("cached");
            assertThat(data.resolve("spec-cache.bin")).doesNotExist();
        }
    }
}
