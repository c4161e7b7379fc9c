package dev.skiff.orchestrator.adapter.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skiff.orchestrator.port.TaskRecord;
import dev.skiff.orchestrator.port.TaskReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirectoryTaskRecordsTest {

    private static final String RUN = "etl-api-20261205T101500-1a2b3c4d";

    @TempDir
    Path dataDir;

    @Test
    void shouldKeepRecordsOwnerOnlyAndReadThemBack() throws Exception {
        // Given a record of a failed task with no start (it never ran) and no cost
        var records = new DirectoryTaskRecords(dataDir);
        TaskRecord failed = new TaskRecord("main", 1, TaskRecord.Kind.FAILED,
                new TaskReport("arn:aws:ecs:us-east-1:123456789012:task/skiff/abc", "spot", Optional.empty(),
                        Optional.empty(), Optional.empty()));

        // When it is kept twice and read
        records.keep(RUN, failed);
        records.keep(RUN, failed);

        // Then it reads back once, from an owner-only file
        assertThat(records.of(RUN)).containsExactly(failed);
        Path file = dataDir.resolve("tasks").resolve(RUN).resolve(failed.name());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dataDir.resolve("tasks"))))
                .isEqualTo("rwx------");
        assertThat(records.of("etl-api-20261205T101500-00000000")).isEmpty();
    }

    @Test
    void shouldRefuseARunIdThatWouldLeaveItsFolder() {
        var records = new DirectoryTaskRecords(dataDir);
        assertThatThrownBy(() -> records.of("../../etc")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> records.of(".hidden")).isInstanceOf(IllegalArgumentException.class);
    }
}
