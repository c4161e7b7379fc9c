package dev.skiff.orchestrator.adapter.embedded;

import dev.skiff.jobs.Schedule;
import dev.skiff.orchestrator.domain.SkiffException;
import dev.skiff.orchestrator.port.PausedSchedules;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Pauses in the embedded database, beside the runs, so they outlive a restart; and in memory, read once when opened,
 * since the scheduler asks about each fire and this process is the database's only writer (H2 locks its file).
 */
final class H2PausedSchedules implements PausedSchedules {

    private final Connection connection;
    private final Object lock;
    private final Set<String> paused = ConcurrentHashMap.newKeySet();

    H2PausedSchedules(Connection connection, Object lock) throws SQLException {
        this.connection = connection;
        this.lock = lock;
        synchronized (lock) {
            try (var statement = connection.createStatement()) {
                statement.execute("CREATE TABLE IF NOT EXISTS paused_schedules (schedule_key VARCHAR(1000) PRIMARY KEY)");
                try (var rows = statement.executeQuery("SELECT schedule_key FROM paused_schedules")) {
                    while (rows.next()) {
                        paused.add(rows.getString(1));
                    }
                }
            }
        }
    }

    @Override
    public boolean isPaused(String job, Schedule schedule) {
        return paused.contains(PausedSchedules.key(job, schedule));
    }

    @Override
    public boolean pause(String job, Schedule schedule) {
        synchronized (lock) {
            boolean written = write("INSERT INTO paused_schedules(schedule_key) SELECT ? WHERE NOT EXISTS "
                    + "(SELECT 1 FROM paused_schedules WHERE schedule_key = ?)", job, schedule, true);
            paused.add(PausedSchedules.key(job, schedule));
            return written;
        }
    }

    @Override
    public boolean resume(String job, Schedule schedule) {
        synchronized (lock) {
            boolean written = write("DELETE FROM paused_schedules WHERE schedule_key = ?", job, schedule, false);
            paused.remove(PausedSchedules.key(job, schedule));
            return written;
        }
    }

    private boolean write(String sql, String job, Schedule schedule, boolean keyTwice) {
        synchronized (lock) {
            try (PreparedStatement s = connection.prepareStatement(sql)) {
                String key = PausedSchedules.key(job, schedule);
                s.setString(1, key);
                if (keyTwice) {
                    s.setString(2, key);
                }
                return s.executeUpdate() == 1;
            } catch (SQLException e) {
                throw failure("write", e);
            }
        }
    }

    private static SkiffException failure(String what, SQLException e) {
        return new SkiffException("run database: cannot " + what + " paused schedules: " + e.getMessage(), e);
    }
}
