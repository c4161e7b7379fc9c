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
            // Then the first start wrote the cache, for its user alone (its first reload after UP does)
            Path cache = data.resolve("spec-cache.bin");
            awaitFile(cache);
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
    void shouldStoreTheSpecsCheckedSinceTheLastWriteAtACleanShutdown() throws Exception {
        // Given a started service, whose cache holds its one spec (written by its first reload after the start)
        Path data = work.resolve("data");
        Path jobs = Files.createDirectories(work.resolve("jobs"));
        Files.writeString(jobs.resolve("cached.yaml"), SPEC);
        Path cache = data.resolve("spec-cache.bin");
        long oneSpec;
        try (var service = ServiceProcess.start(data, jobs, work.resolve("first.log"), Map.of())) {
            awaitFile(cache);
            oneSpec = Files.size(cache);

            // When a second spec is added and loaded (the cache is not due for a write for 15 minutes)
            Files.writeString(jobs.resolve("added.yaml"), SPEC.replace("cached", "added"));
            awaitJob(service, "added");
            assertThat(Files.size(cache)).isEqualTo(oneSpec);
        } // and the service stops cleanly (SIGTERM)

        // Then the cache was written at the shutdown, with both specs
        assertThat(Files.size(cache)).isGreaterThan(oneSpec);
    }

    /** The cache is written by the first reload after the start, within a reload interval of UP. */
    private static void awaitFile(Path file) throws InterruptedException {
        java.time.Instant giveUp = java.time.Instant.now().plusSeconds(30);
        while (!Files.exists(file)) {
            if (java.time.Instant.now().isAfter(giveUp)) {
                throw new AssertionError(file + " was not written within 30 s");
            }
            Thread.sleep(100);
        }
    }

    private static void awaitJob(ServiceProcess service, String name) throws Exception {
        java.time.Instant giveUp = java.time.Instant.now().plusSeconds(30);
        while (!service.get("/jobs").toString().contains("\"" + name + "\"")) {
            if (java.time.Instant.now().isAfter(giveUp)) {
                throw new AssertionError("job " + name + " was not loaded within 30 s");
            }
            Thread.sleep(100);
        }
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
