package dev.skiff.orchestrator.adapter.embedded;

import dev.skiff.jobs.JobSpec;
import dev.skiff.orchestrator.domain.SkiffException;
import dev.skiff.orchestrator.port.PausedSchedules;
import dev.skiff.orchestrator.port.RunEngine.RunQuery;
import dev.skiff.workflows.Run;
import dev.skiff.workflows.RunStatus;
import java.nio.file.Path;
import org.h2.jdbcx.JdbcDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Runs in an embedded H2 database file. One connection, used under the store's lock: the engine
 * writes one small row per transition, which H2 handles far faster than processes start.
 * WRITE_DELAY=0 makes each commit reach the file before the call returns, so a killed
 * orchestrator loses no transition it acted on.
 */
public final class H2RunStore implements RunStore {

    private final Connection connection;
    private final RunCodec codec = new RunCodec();

    private H2RunStore(Connection connection) throws SQLException {
        this.connection = connection;
        try (var statement = connection.createStatement()) {
            statement.execute("""
                    CREATE TABLE IF NOT EXISTS runs (
                      run_id VARCHAR(80) PRIMARY KEY,
                      job VARCHAR(48) NOT NULL,
                      status VARCHAR(16) NOT NULL,
                      trigger_source VARCHAR(16) NOT NULL,
                      created_at TIMESTAMP WITH TIME ZONE NOT NULL,
                      seq BIGINT AUTO_INCREMENT,
                      doc CLOB NOT NULL,
                      spec CLOB NOT NULL)""");
            statement.execute("CREATE INDEX IF NOT EXISTS runs_by_job ON runs(job, seq)");
            statement.execute("CREATE INDEX IF NOT EXISTS runs_by_status ON runs(status, seq)");
        }
    }

    /** Opens (or creates) {@code <dataDir>/skiff.mv.db}. Fails clearly if another orchestrator holds it. */
    public static H2RunStore open(Path dataDir) {
        String url = "jdbc:h2:file:" + dataDir.toAbsolutePath().resolve("skiff") + ";WRITE_DELAY=0";
        try {
            return new H2RunStore(connect(url));
        } catch (SQLException e) {
            throw new SkiffException("cannot open the run database in " + dataDir.toAbsolutePath()
                    + " (is another Skiff orchestrator using this data directory?): " + e.getMessage(), e);
        }
    }

    /** A throw-away database for tests. */
    public static H2RunStore inMemory(String name) {
        try {
            return new H2RunStore(connect("jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1"));
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The schedule pauses kept in the same database file (same connection, same lock). */
    public PausedSchedules pausedSchedules() {
        try {
            return new H2PausedSchedules(connection, this);
        } catch (SQLException e) {
            throw failure("create the paused schedules table", e);
        }
    }

    /** Straight through H2's data source: DriverManager's class-loader checks fail under Quarkus' test class loaders. */
    private static Connection connect(String url) throws SQLException {
        var source = new JdbcDataSource();
        source.setURL(url);
        source.setUser("skiff");
        source.setPassword("");
        return source.getConnection();
    }

    @Override
    public synchronized boolean insertIfAbsent(Run run, JobSpec spec) {
        try (PreparedStatement s = connection.prepareStatement(
                "INSERT INTO runs(run_id, job, status, trigger_source, created_at, doc, spec) SELECT ?, ?, ?, ?, ?, ?, ? "
                        + "WHERE NOT EXISTS (SELECT 1 FROM runs WHERE run_id = ?)")) {
            s.setString(1, run.runId());
            s.setString(2, run.job());
            s.setString(3, run.status().name());
            s.setString(4, run.trigger());
            s.setTimestamp(5, Timestamp.from(run.createdAt()));
            s.setString(6, codec.encode(run));
            s.setString(7, codec.encode(spec));
            s.setString(8, run.runId());
            return s.executeUpdate() == 1;
        } catch (SQLException e) {
            throw failure("store run " + run.runId(), e);
        }
    }

    @Override
    public synchronized void update(Run run) {
        try (PreparedStatement s = connection.prepareStatement("UPDATE runs SET status = ?, doc = ? WHERE run_id = ?")) {
            s.setString(1, run.status().name());
            s.setString(2, codec.encode(run));
            s.setString(3, run.runId());
            if (s.executeUpdate() != 1) {
                throw new IllegalStateException("run " + run.runId() + " was never stored");
            }
        } catch (SQLException e) {
            throw failure("update run " + run.runId(), e);
        }
    }

    @Override
    public synchronized Optional<Run> find(String runId) {
        try (PreparedStatement s = connection.prepareStatement("SELECT doc FROM runs WHERE run_id = ?")) {
            s.setString(1, runId);
            return read(s).stream().findFirst();
        } catch (SQLException e) {
            throw failure("read run " + runId, e);
        }
    }

    @Override
    public synchronized boolean exists(String runId) {
        try (PreparedStatement s = connection.prepareStatement("SELECT 1 FROM runs WHERE run_id = ?")) {
            s.setString(1, runId);
            try (var rows = s.executeQuery()) {
                return rows.next();
            }
        } catch (SQLException e) {
            throw failure("look for run " + runId, e);
        }
    }

    @Override
    public synchronized List<String> activeRunIds(String job, int limit) {
        List<RunStatus> active = List.copyOf(RunQuery.ACTIVE);
        String marks = String.join(", ", active.stream().map(x -> "?").toList());
        try (PreparedStatement s = connection.prepareStatement(
                "SELECT run_id FROM runs WHERE job = ? AND status IN (" + marks + ") ORDER BY seq DESC LIMIT ?")) {
            int i = 1;
            s.setString(i++, job);
            for (RunStatus status : active) {
                s.setString(i++, status.name());
            }
            s.setInt(i, limit);
            var ids = new ArrayList<String>();
            try (var rows = s.executeQuery()) {
                while (rows.next()) {
                    ids.add(rows.getString(1));
                }
            }
            return ids;
        } catch (SQLException e) {
            throw failure("list the active runs of job " + job, e);
        }
    }

    @Override
    public synchronized List<Run> list(RunQuery query) {
        var sql = new StringBuilder("SELECT doc FROM runs WHERE 1 = 1");
        query.job().ifPresent(j -> sql.append(" AND job = ?"));
        if (!query.statuses().isEmpty()) {
            sql.append(" AND status IN (").append(String.join(", ", query.statuses().stream().map(x -> "?").toList())).append(")");
        }
        query.trigger().ifPresent(t -> sql.append(" AND trigger_source = ?"));
        sql.append(" ORDER BY seq DESC LIMIT ?");
        try (PreparedStatement s = connection.prepareStatement(sql.toString())) {
            int i = 1;
            if (query.job().isPresent()) {
                s.setString(i++, query.job().get());
            }
            for (RunStatus status : query.statuses()) {
                s.setString(i++, status.name());
            }
            if (query.trigger().isPresent()) {
                s.setString(i++, query.trigger().get());
            }
            s.setInt(i, query.limit());
            return read(s);
        } catch (SQLException e) {
            throw failure("list runs", e);
        }
    }

    @Override
    public synchronized List<StoredRun> unfinished() {
        try (PreparedStatement s = connection.prepareStatement(
                "SELECT doc, spec FROM runs WHERE status IN (?, ?, ?) ORDER BY seq")) {
            s.setString(1, RunStatus.PENDING.name());
            s.setString(2, RunStatus.RUNNING.name());
            s.setString(3, RunStatus.RETRY_WAIT.name());
            var runs = new ArrayList<StoredRun>();
            try (var rows = s.executeQuery()) {
                while (rows.next()) {
                    runs.add(new StoredRun(codec.decodeRun(rows.getString(1)), codec.decodeSpec(rows.getString(2))));
                }
            }
            return runs;
        } catch (SQLException e) {
            throw failure("list unfinished runs", e);
        }
    }

    private List<Run> read(PreparedStatement statement) throws SQLException {
        var runs = new ArrayList<Run>();
        try (var rows = statement.executeQuery()) {
            while (rows.next()) {
                runs.add(codec.decodeRun(rows.getString(1)));
            }
        }
        return runs;
    }

    private static SkiffException failure(String what, SQLException e) {
        return new SkiffException("run database: cannot " + what + ": " + e.getMessage(), e);
    }

    @Override
    public synchronized void close() {
        try {
            connection.close();
        } catch (SQLException e) {
            throw failure("close", e);
        }
    }
}
