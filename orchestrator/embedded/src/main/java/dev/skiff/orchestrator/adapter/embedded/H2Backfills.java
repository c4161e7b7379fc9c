package dev.skiff.orchestrator.adapter.embedded;

import dev.skiff.orchestrator.domain.Backfill;
import dev.skiff.orchestrator.domain.SkiffException;
import dev.skiff.orchestrator.port.Backfills;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Backfills in the embedded database, beside the runs they start, so a restarted orchestrator drives them on. */
final class H2Backfills implements Backfills {

    private static final String COLUMNS = "id, job, schedule_index, from_at, to_at, max_concurrency, created_at, cancelled, finished";

    private final Connection connection;
    private final Object lock;

    H2Backfills(Connection connection, Object lock) throws SQLException {
        this.connection = connection;
        this.lock = lock;
        try (var statement = connection.createStatement()) {
            statement.execute("""
                    CREATE TABLE IF NOT EXISTS backfills (
                      id VARCHAR(80) PRIMARY KEY,
                      job VARCHAR(48) NOT NULL,
                      schedule_index INT NOT NULL,
                      from_at TIMESTAMP WITH TIME ZONE NOT NULL,
                      to_at TIMESTAMP WITH TIME ZONE NOT NULL,
                      max_concurrency INT NOT NULL,
                      created_at TIMESTAMP WITH TIME ZONE NOT NULL,
                      cancelled BOOLEAN NOT NULL,
                      finished BOOLEAN NOT NULL)""");
            statement.execute("CREATE INDEX IF NOT EXISTS backfills_by_job ON backfills(job, created_at)");
        }
    }

    @Override
    public Stored create(Backfill backfill) {
        synchronized (lock) {
            try (PreparedStatement s = connection.prepareStatement("INSERT INTO backfills(" + COLUMNS + ") SELECT "
                    + "?, ?, ?, ?, ?, ?, ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM backfills WHERE id = ?)")) {
                bind(s, backfill);
                s.setString(10, backfill.id());
                if (s.executeUpdate() == 1) {
                    return new Stored(backfill, true);
                }
            } catch (SQLException e) {
                throw failure("write", e);
            }
            return new Stored(get(backfill.id()).orElseThrow(), false);
        }
    }

    @Override
    public Optional<Backfill> get(String id) {
        return query("WHERE id = ?", id).stream().findFirst();
    }

    @Override
    public List<Backfill> ofJob(String job) {
        return query("WHERE job = ? ORDER BY created_at DESC, id", job);
    }

    @Override
    public List<Backfill> open() {
        return query("WHERE NOT cancelled AND NOT finished ORDER BY created_at, id");
    }

    @Override
    public void update(Backfill backfill) {
        synchronized (lock) {
            try (PreparedStatement s = connection.prepareStatement(
                    "UPDATE backfills SET cancelled = ?, finished = ? WHERE id = ?")) {
                s.setBoolean(1, backfill.cancelled());
                s.setBoolean(2, backfill.finished());
                s.setString(3, backfill.id());
                s.executeUpdate();
            } catch (SQLException e) {
                throw failure("write", e);
            }
        }
    }

    private List<Backfill> query(String where, String... values) {
        synchronized (lock) {
            try (PreparedStatement s = connection.prepareStatement("SELECT " + COLUMNS + " FROM backfills " + where)) {
                for (int i = 0; i < values.length; i++) {
                    s.setString(i + 1, values[i]);
                }
                List<Backfill> found = new ArrayList<>();
                try (ResultSet rows = s.executeQuery()) {
                    while (rows.next()) {
                        found.add(read(rows));
                    }
                }
                return found;
            } catch (SQLException e) {
                throw failure("read", e);
            }
        }
    }

    private static void bind(PreparedStatement s, Backfill b) throws SQLException {
        s.setString(1, b.id());
        s.setString(2, b.job());
        s.setInt(3, b.schedule());
        s.setTimestamp(4, Timestamp.from(b.from()));
        s.setTimestamp(5, Timestamp.from(b.to()));
        s.setInt(6, b.maxConcurrency());
        s.setTimestamp(7, Timestamp.from(b.createdAt()));
        s.setBoolean(8, b.cancelled());
        s.setBoolean(9, b.finished());
    }

    private static Backfill read(ResultSet row) throws SQLException {
        return new Backfill(row.getString(1), row.getString(2), row.getInt(3), row.getTimestamp(4).toInstant(),
                row.getTimestamp(5).toInstant(), row.getInt(6), row.getTimestamp(7).toInstant(), row.getBoolean(8),
                row.getBoolean(9));
    }

    private static SkiffException failure(String what, SQLException e) {
        return new SkiffException("run database: cannot " + what + " backfills: " + e.getMessage(), e);
    }
}
