package dev.skiff.orchestrator.adapter.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.jobs.Capacity;
import dev.skiff.orchestrator.TestSpecs;
import dev.skiff.workflows.Run;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Map;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A database written before pipelines (the runs table only) opens as it is, its runs intact, and takes units. */
class H2RunStoreMigrationTest {

    @TempDir
    Path data;

    @Test
    void shouldOpenADatabaseWrittenBeforePipelinesAndKeepItsRuns() throws Exception {
        // Given a database with the schema of the version before pipelines, holding one waiting run
        var codec = new RunCodec();
        Run waiting = Run.create("old-k-1", "old", "api", Map.of(), Capacity.ON_DEMAND, Instant.parse("2026-12-01T00:00:00Z"));
        var source = new JdbcDataSource();
        source.setURL("jdbc:h2:file:" + data.toAbsolutePath().resolve("skiff") + ";WRITE_DELAY=0");
        source.setUser("skiff");
        source.setPassword("");
        try (var connection = source.getConnection(); var statement = connection.createStatement()) {
            statement.execute("""
                    CREATE TABLE runs (
                      run_id VARCHAR(80) PRIMARY KEY,
                      job VARCHAR(48) NOT NULL,
                      status VARCHAR(16) NOT NULL,
                      trigger_source VARCHAR(16) NOT NULL,
                      created_at TIMESTAMP WITH TIME ZONE NOT NULL,
                      seq BIGINT AUTO_INCREMENT,
                      doc CLOB NOT NULL,
                      spec CLOB NOT NULL)""");
            try (var insert = connection.prepareStatement(
                    "INSERT INTO runs(run_id, job, status, trigger_source, created_at, doc, spec) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
                insert.setString(1, waiting.runId());
                insert.setString(2, "old");
                insert.setString(3, waiting.status().name());
                insert.setString(4, "api");
                insert.setTimestamp(5, Timestamp.from(waiting.createdAt()));
                insert.setString(6, codec.encode(waiting));
                insert.setString(7, codec.encode(TestSpecs.shell("old", "true")));
                insert.executeUpdate();
            }
        }

        // When this version opens it
        try (H2RunStore store = H2RunStore.open(data)) {
            // Then the run is there, still to be resumed, and the pipeline tables are there too
            assertThat(store.find("old-k-1")).contains(waiting);
            assertThat(store.unfinished()).extracting(s -> s.run().runId()).containsExactly("old-k-1");
            assertThat(store.units("old-k-1")).isEmpty();
            assertThat(store.unfinishedUnits()).isEmpty();
            store.outputs().keep("old-k-1", "main", "{}");
            assertThat(store.outputs().of("old-k-1")).containsEntry("main", "{}");
        }
    }
}
