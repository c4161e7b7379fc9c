package dev.skiff.orchestrator.adapter.embedded;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.orchestrator.domain.SkiffException;
import dev.skiff.orchestrator.port.RunEventOutbox;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The run-event outbox in the embedded database: {@link H2RunStore#update} writes a run's event in the transaction
 * that writes its new status, and this reads them back for the relay.
 */
final class H2RunEvents implements RunEventOutbox {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Connection connection;
    private final Object lock;

    H2RunEvents(Connection connection, Object lock) {
        this.connection = connection;
        this.lock = lock;
    }

    static void createTable(Connection connection) throws SQLException {
        try (var statement = connection.createStatement()) {
            statement.execute("""
                    CREATE TABLE IF NOT EXISTS run_events (
                      event_id VARCHAR(200) PRIMARY KEY,
                      seq BIGINT AUTO_INCREMENT,
                      body CLOB NOT NULL,
                      put BOOLEAN DEFAULT FALSE NOT NULL,
                      done BOOLEAN DEFAULT FALSE NOT NULL)""");
            statement.execute("CREATE INDEX IF NOT EXISTS run_events_open ON run_events(done, seq)");
        }
    }

    /** Writes the event unless one with its id exists; the caller holds the lock (and may be in a transaction). */
    static boolean insertIfAbsent(Connection connection, String eventId, ObjectNode event) throws SQLException {
        try (PreparedStatement s = connection.prepareStatement("INSERT INTO run_events(event_id, body) SELECT ?, ? "
                + "WHERE NOT EXISTS (SELECT 1 FROM run_events WHERE event_id = ?)")) {
            s.setString(1, eventId);
            s.setString(2, event.toString());
            s.setString(3, eventId);
            return s.executeUpdate() == 1;
        }
    }

    static boolean exists(Connection connection, String eventId) throws SQLException {
        try (PreparedStatement s = connection.prepareStatement("SELECT 1 FROM run_events WHERE event_id = ?")) {
            s.setString(1, eventId);
            try (var rows = s.executeQuery()) {
                return rows.next();
            }
        }
    }

    @Override
    public List<Pending> pending(int limit) {
        synchronized (lock) {
            try (PreparedStatement s = connection.prepareStatement(
                    "SELECT event_id, body, put FROM run_events WHERE done = FALSE ORDER BY seq LIMIT ?")) {
                s.setInt(1, limit);
                var pending = new ArrayList<Pending>();
                try (var rows = s.executeQuery()) {
                    while (rows.next()) {
                        pending.add(new Pending(rows.getString(1), (ObjectNode) JSON.readTree(rows.getString(2)),
                                rows.getBoolean(3)));
                    }
                }
                return pending;
            } catch (SQLException | JsonProcessingException e) {
                throw new SkiffException("run database: cannot read the run events to publish: " + e.getMessage(), e);
            }
        }
    }

    @Override
    public boolean has(String eventId) {
        synchronized (lock) {
            try {
                return exists(connection, eventId);
            } catch (SQLException e) {
                throw new SkiffException("run database: cannot look for run event " + eventId + ": " + e.getMessage(), e);
            }
        }
    }

    @Override
    public void put(Collection<String> eventIds) {
        mark("put", eventIds);
    }

    @Override
    public void done(Collection<String> eventIds) {
        mark("done", eventIds);
    }

    @Override
    public boolean add(String eventId, ObjectNode event) {
        synchronized (lock) {
            try {
                return insertIfAbsent(connection, eventId, event);
            } catch (SQLException e) {
                throw new SkiffException("run database: cannot write run event " + eventId + ": " + e.getMessage(), e);
            }
        }
    }

    /** One statement, one commit, for the whole batch: a commit per event made the relay the bottleneck of a burst. */
    private void mark(String column, Collection<String> eventIds) {
        if (eventIds.isEmpty()) {
            return;
        }
        synchronized (lock) {
            String marks = String.join(", ", eventIds.stream().map(id -> "?").toList());
            try (PreparedStatement s = connection.prepareStatement(
                    "UPDATE run_events SET " + column + " = TRUE WHERE event_id IN (" + marks + ")")) {
                int i = 1;
                for (String id : eventIds) {
                    s.setString(i++, id);
                }
                s.executeUpdate();
            } catch (SQLException e) {
                throw new SkiffException("run database: cannot mark " + eventIds.size() + " run events " + column + ": "
                        + e.getMessage(), e);
            }
        }
    }
}
