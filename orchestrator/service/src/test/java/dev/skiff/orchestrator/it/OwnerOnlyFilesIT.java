package dev.skiff.orchestrator.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The data directory the packaged service creates, its database and every attempt's log are its user's alone:
 * logs hold what jobs print (secrets included, at times), and the database every run's parameters.
 */
class OwnerOnlyFilesIT {

    @TempDir
    Path work;

    @Test
    void shouldKeepTheDataDirectoryDatabaseAndLogsOwnerOnlyWhenARunHasEnded() throws Exception {
        // Given a data directory the service has to create, and a job that prints
        Path data = work.resolve("skiff-data");
        Path jobs = Files.createDirectories(work.resolve("jobs"));
        Files.writeString(jobs.resolve("talker.yaml"), """
                name: talker
                owner: it
                image: example/talker:1
                command: ["sh", "-c", "echo the secret is hunter2"]
                """);

        // When one run of it has ended
        try (var service = ServiceProcess.start(data, jobs, work.resolve("service.log"), Map.of())) {
            String runId = service.post("/jobs/talker/runs", "{}", "owner-only").path("runId").asText();
            assertThat(service.awaitEnded(List.of(runId)).get(0).path("status").asText()).isEqualTo("SUCCEEDED");

            // Then the directories are 700 and the files 600: the database, the attempt's log and exit status
            Path log = data.resolve("logs").resolve(runId).resolve("attempt-1.log");
            assertThat(log).content().contains("hunter2");
            assertThat(permissions(data)).isEqualTo("rwx------");
            assertThat(permissions(data.resolve("skiff.mv.db"))).isEqualTo("rw-------");
            assertThat(permissions(data.resolve("logs"))).isEqualTo("rwx------");
            assertThat(permissions(log)).isEqualTo("rw-------");
            try (Stream<Path> all = Files.walk(data)) {
                assertThat(all).allSatisfy(path -> assertThat(permissions(path)).as(path.toString())
                        .endsWith("------"));
            }
        }
    }

    private static String permissions(Path path) {
        try {
            return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
