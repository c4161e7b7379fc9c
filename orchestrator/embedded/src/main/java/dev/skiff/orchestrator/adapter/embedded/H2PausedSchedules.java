package dev.skiff.orchestrator.adapter.embedded;

import dev.skiff.jobs.Schedule;
import dev.skiff.orchestrator.domain.SkiffException;
import dev.skiff.orchestrator.port.PausedSchedules;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/** Pauses in the embedded database, beside the runs, so they outlive a restart. */
final class H2PausedSchedules implements PausedSchedules {

    private final Connection connection;
    private final Object lock;

    H2PausedSchedules(Connection connection, Object lock) throws SQLException {
        this.connection = connection;
        this.lock = lock;
        try (var statement = connection.createStatement()) {
            statement.execute("CREATE TABLE IF NOT EXISTS paused_schedules (schedule_key VARCHAR(1000) PRIMARY KEY)");
        }
    }

    @Override
    public boolean isPaused(String job, Schedule schedule) {
        synchronized (lock) {
            try (PreparedStatement s = connection.prepareStatement("SELECT 1 FROM paused_schedules WHERE schedule_key = ?")) {
                s.setString(1, PausedSchedules.key(job, schedule));
                try (var rows = s.executeQuery()) {
                    return rows.next();
                }
            } catch (SQLException e) {
                throw failure("read", e);
            }
        }
    }

    @Override
    public boolean pause(String job, Schedule schedule) {
        return write("INSERT INTO paused_schedules(schedule_key) SELECT ? WHERE NOT EXISTS "
                + "(SELECT 1 FROM paused_schedules WHERE schedule_key = ?)", job, schedule, true);
    }

    @Override
    public boolean resume(String job, Schedule schedule) {
        return write("DELETE FROM paused_schedules WHERE schedule_key = ?", job, schedule, false);
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
