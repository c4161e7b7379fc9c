package dev.skiff.orchestrator.adapter.embedded;

import dev.skiff.orchestrator.domain.SkiffException;
import dev.skiff.orchestrator.port.Watermarks;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;

/** Watermarks in the embedded database, beside the runs. */
final class H2Watermarks implements Watermarks {

    private final Connection connection;
    private final Object lock;

    H2Watermarks(Connection connection, Object lock) throws SQLException {
        this.connection = connection;
        this.lock = lock;
        try (var statement = connection.createStatement()) {
            statement.execute("CREATE TABLE IF NOT EXISTS watermarks (name VARCHAR(100) PRIMARY KEY,"
                    + " at TIMESTAMP WITH TIME ZONE NOT NULL)");
        }
    }

    @Override
    public Optional<Instant> get(String name) {
        synchronized (lock) {
            try (PreparedStatement s = connection.prepareStatement("SELECT at FROM watermarks WHERE name = ?")) {
                s.setString(1, name);
                try (var rows = s.executeQuery()) {
                    return rows.next() ? Optional.of(rows.getTimestamp(1).toInstant()) : Optional.empty();
                }
            } catch (SQLException e) {
                throw new SkiffException("run database: cannot read watermark " + name + ": " + e.getMessage(), e);
            }
        }
    }

    @Override
    public void put(String name, Instant at) {
        synchronized (lock) {
            try (PreparedStatement s = connection.prepareStatement("MERGE INTO watermarks(name, at) KEY(name) VALUES (?, ?)")) {
                s.setString(1, name);
                s.setTimestamp(2, Timestamp.from(at));
                s.executeUpdate();
            } catch (SQLException e) {
                throw new SkiffException("run database: cannot write watermark " + name + ": " + e.getMessage(), e);
            }
        }
    }
}
