package dev.skiff.orchestrator.adapter.embedded;

import dev.skiff.jobs.JobSpec;
import dev.skiff.jobs.RunEvents;
import dev.skiff.orchestrator.app.RunEventDocuments;
import dev.skiff.orchestrator.domain.SkiffException;
import dev.skiff.orchestrator.port.Backfills;
import dev.skiff.orchestrator.port.PausedSchedules;
import dev.skiff.orchestrator.port.PipelineRun;
import dev.skiff.orchestrator.port.RunEngine.RunQuery;
import dev.skiff.orchestrator.port.RunEventOutbox;
import dev.skiff.orchestrator.port.StepOutputs;
import dev.skiff.orchestrator.port.Watermarks;
import dev.skiff.workflows.Run;
import dev.skiff.workflows.RunStatus;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.h2.jdbcx.JdbcDataSource;

/**
 * Runs in an embedded H2 database file. One connection, used under the store's lock: the engine
 * writes one small row per transition, which H2 handles far faster than processes start.
 * WRITE_DELAY=0 makes each commit reach the file before the call returns, so a killed
 * orchestrator loses no transition it acted on.
 */
public final class H2RunStore implements RunStore {

    private final Connection connection;
    private final RunCodec codec = new RunCodec();
    private PausedSchedules pausedSchedules;

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
            // The newest run of each job by trigger, for the scheduler's catch-up (added later; IF NOT EXISTS migrates).
            statement.execute("CREATE INDEX IF NOT EXISTS runs_by_trigger ON runs(trigger_source, job, seq)");
            // Pipelines (added later): new tables only, so a database written before them opens as it is.
            statement.execute("""
                    CREATE TABLE IF NOT EXISTS units (
                      unit_key VARCHAR(200) PRIMARY KEY,
                      run_id VARCHAR(80) NOT NULL,
                      step VARCHAR(32) NOT NULL,
                      item INT NOT NULL,
                      status VARCHAR(16) NOT NULL,
                      seq BIGINT AUTO_INCREMENT,
                      doc CLOB NOT NULL,
                      env CLOB NOT NULL)""");
            statement.execute("CREATE INDEX IF NOT EXISTS units_by_run ON units(run_id, seq)");
            statement.execute("CREATE INDEX IF NOT EXISTS units_by_status ON units(status, seq)");
            statement.execute("""
                    CREATE TABLE IF NOT EXISTS step_items (
                      run_id VARCHAR(80) NOT NULL,
                      step VARCHAR(32) NOT NULL,
                      items CLOB NOT NULL,
                      PRIMARY KEY (run_id, step))""");
            H2RunEvents.createTable(connection);
            statement.execute("""
                    CREATE TABLE IF NOT EXISTS step_outputs (
                      run_id VARCHAR(80) NOT NULL,
                      step VARCHAR(32) NOT NULL,
                      output CLOB NOT NULL,
                      PRIMARY KEY (run_id, step))""");
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

    /**
     * The schedule pauses kept in the same database file (same connection, same lock): one object, whoever asks, since
     * it keeps the pauses in memory too.
     */
    public synchronized PausedSchedules pausedSchedules() {
        if (pausedSchedules == null) {
            try {
                pausedSchedules = new H2PausedSchedules(connection, this);
            } catch (SQLException e) {
                throw failure("create the paused schedules table", e);
            }
        }
        return pausedSchedules;
    }

    /** The backfills kept in the same database file (same connection, same lock). */
    public Backfills backfills() {
        try {
            return new H2Backfills(connection, this);
        } catch (SQLException e) {
            throw failure("create the backfills table", e);
        }
    }

    /** The outputs of pipeline steps, kept in the same database file (same connection, same lock). */
    @Override
    public StepOutputs outputs() {
        H2RunStore store = this;
        return new StepOutputs() {
            @Override
            public void keep(String runId, String step, String json) {
                store.putPair("step_outputs", "output", runId, step, json);
            }

            @Override
            public Map<String, String> of(String runId) {
                return store.pairs("step_outputs", "output", runId);
            }
        };
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

    /**
     * Writes the run's new state and, in the same transaction, the run event its status stands for (STARTED once it
     * runs, its end once it ended) unless that event was written before: the event exists exactly when the change
     * does, whatever stops the process.
     */
    @Override
    public synchronized void update(Run run) {
        try {
            connection.setAutoCommit(false);
            try (PreparedStatement s = connection.prepareStatement("UPDATE runs SET status = ?, doc = ? WHERE run_id = ?")) {
                s.setString(1, run.status().name());
                s.setString(2, codec.encode(run));
                s.setString(3, run.runId());
                if (s.executeUpdate() != 1) {
                    throw new IllegalStateException("run " + run.runId() + " was never stored");
                }
            }
            var kind = RunEventDocuments.kindOf(run.status());
            if (kind.isPresent() && !H2RunEvents.exists(connection, RunEvents.eventId(run.runId(), kind.get()))) {
                JobSpec spec = specInTransaction(run.runId());
                Optional<PipelineRun> pipeline = spec.isPipeline()
                        ? Optional.of(PipelineStates.pipeline(spec, units(run.runId()), items(run.runId())))
                        : Optional.empty();
                Instant at = (kind.get() == RunEvents.Kind.STARTED ? run.startedAt() : run.endedAt()).orElse(Instant.now());
                H2RunEvents.insertIfAbsent(connection, RunEvents.eventId(run.runId(), kind.get()),
                        RunEventDocuments.of(run, spec.owner(), kind.get(), pipeline, at));
            }
            connection.commit();
        } catch (SQLException | RuntimeException e) {
            rollback();
            throw e instanceof SQLException sql ? failure("update run " + run.runId(), sql) : (RuntimeException) e;
        } finally {
            autoCommit();
        }
    }

    /** Watermarks of periodic checks, kept with the runs (same connection, same lock). */
    public Watermarks watermarks() {
        try {
            return new H2Watermarks(connection, this);
        } catch (SQLException e) {
            throw failure("create the watermarks table", e);
        }
    }

    /** The run events kept with the runs (same connection, same lock). */
    public RunEventOutbox runEvents() {
        return new H2RunEvents(connection, this);
    }

    private JobSpec specInTransaction(String runId) throws SQLException {
        try (PreparedStatement s = connection.prepareStatement("SELECT spec FROM runs WHERE run_id = ?")) {
            s.setString(1, runId);
            try (var rows = s.executeQuery()) {
                if (!rows.next()) {
                    throw new IllegalStateException("run " + runId + " was never stored");
                }
                return codec.decodeSpec(rows.getString(1));
            }
        }
    }

    private void rollback() {
        try {
            connection.rollback();
        } catch (SQLException ignored) {
            // The failure being reported says more.
        }
    }

    private void autoCommit() {
        try {
            connection.setAutoCommit(true);
        } catch (SQLException e) {
            throw failure("end a transaction", e);
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
        return list(query.job().map(List::of), query);
    }

    @Override
    public synchronized List<Run> listAmong(Collection<String> jobs, RunQuery query) {
        return list(Optional.of(List.copyOf(jobs)), query);
    }

    /** @param jobs the jobs whose runs are listed; empty: every job's */
    private List<Run> list(Optional<List<String>> jobs, RunQuery query) {
        var sql = new StringBuilder("SELECT doc FROM runs WHERE 1 = 1");
        jobs.ifPresent(j -> sql.append(" AND job = ANY(?)"));
        if (!query.statuses().isEmpty()) {
            sql.append(" AND status IN (").append(String.join(", ", query.statuses().stream().map(x -> "?").toList())).append(")");
        }
        query.trigger().ifPresent(t -> sql.append(" AND trigger_source = ?"));
        sql.append(" ORDER BY seq DESC LIMIT ?");
        try (PreparedStatement s = connection.prepareStatement(sql.toString())) {
            int i = 1;
            if (jobs.isPresent()) {
                s.setObject(i++, jobs.get().toArray(String[]::new));
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

    /** One query for all jobs: the newest run by {@code seq} of each job with a run of {@code trigger}. */
    @Override
    public synchronized Map<String, Instant> newestRuns(Collection<String> jobs, String trigger) {
        Set<String> wanted = jobs instanceof Set<String> set ? set : new HashSet<>(jobs);
        try (PreparedStatement s = connection.prepareStatement("""
                SELECT r.job, r.doc FROM runs r
                JOIN (SELECT job, MAX(seq) AS newest FROM runs WHERE trigger_source = ? GROUP BY job) n
                  ON r.seq = n.newest""")) {
            s.setString(1, trigger);
            Map<String, Instant> newest = new HashMap<>();
            try (var rows = s.executeQuery()) {
                while (rows.next()) {
                    if (wanted.contains(rows.getString(1))) {
                        // From the run's record: the column holds microseconds, the run the clock's own precision.
                        newest.put(rows.getString(1), codec.decodeRun(rows.getString(2)).createdAt());
                    }
                }
            }
            return newest;
        } catch (SQLException e) {
            throw failure("find the newest " + trigger + " runs", e);
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

    @Override
    public synchronized Optional<JobSpec> spec(String runId) {
        try (PreparedStatement s = connection.prepareStatement("SELECT spec FROM runs WHERE run_id = ?")) {
            s.setString(1, runId);
            try (var rows = s.executeQuery()) {
                return rows.next() ? Optional.of(codec.decodeSpec(rows.getString(1))) : Optional.empty();
            }
        } catch (SQLException e) {
            throw failure("read the spec of run " + runId, e);
        }
    }

    @Override
    public synchronized boolean insertUnit(StoredUnit unit) {
        try (PreparedStatement s = connection.prepareStatement(
                "INSERT INTO units(unit_key, run_id, step, item, status, doc, env) SELECT ?, ?, ?, ?, ?, ?, ? "
                        + "WHERE NOT EXISTS (SELECT 1 FROM units WHERE unit_key = ?)")) {
            s.setString(1, unit.run().runId());
            s.setString(2, unit.runId());
            s.setString(3, unit.step());
            s.setInt(4, unit.item());
            s.setString(5, unit.run().status().name());
            s.setString(6, codec.encode(unit.run()));
            s.setString(7, codec.encode(unit.environment()));
            s.setString(8, unit.run().runId());
            return s.executeUpdate() == 1;
        } catch (SQLException e) {
            throw failure("store unit " + unit.run().runId(), e);
        }
    }

    @Override
    public synchronized void updateUnit(Run unit) {
        try (PreparedStatement s = connection.prepareStatement("UPDATE units SET status = ?, doc = ? WHERE unit_key = ?")) {
            s.setString(1, unit.status().name());
            s.setString(2, codec.encode(unit));
            s.setString(3, unit.runId());
            if (s.executeUpdate() != 1) {
                throw new IllegalStateException("unit " + unit.runId() + " was never stored");
            }
        } catch (SQLException e) {
            throw failure("update unit " + unit.runId(), e);
        }
    }

    @Override
    public synchronized Optional<StoredUnit> findUnit(String key) {
        return units("unit_key = ?", key).stream().findFirst();
    }

    @Override
    public synchronized List<StoredUnit> units(String runId) {
        return units("run_id = ?", runId);
    }

    @Override
    public synchronized List<StoredUnit> unfinishedUnits() {
        return units("status IN (?, ?, ?)", RunStatus.PENDING.name(), RunStatus.RUNNING.name(), RunStatus.RETRY_WAIT.name());
    }

    private List<StoredUnit> units(String where, String... values) {
        String sql = "SELECT run_id, step, item, doc, env FROM units WHERE " + where + " ORDER BY seq";
        try (PreparedStatement s = connection.prepareStatement(sql)) {
            for (int i = 0; i < values.length; i++) {
                s.setString(i + 1, values[i]);
            }
            var units = new ArrayList<StoredUnit>();
            try (var rows = s.executeQuery()) {
                while (rows.next()) {
                    units.add(new StoredUnit(rows.getString(1), rows.getString(2), rows.getInt(3),
                            codec.decodeRun(rows.getString(4)), codec.decodeEnvironment(rows.getString(5))));
                }
            }
            return units;
        } catch (SQLException e) {
            throw failure("read units", e);
        }
    }

    @Override
    public synchronized void keepItems(String runId, String step, String itemsJson) {
        putPair("step_items", "items", runId, step, itemsJson);
    }

    @Override
    public synchronized Map<String, String> items(String runId) {
        return pairs("step_items", "items", runId);
    }

    private synchronized void putPair(String table, String column, String runId, String step, String text) {
        try (PreparedStatement s = connection.prepareStatement(
                "MERGE INTO " + table + "(run_id, step, " + column + ") KEY (run_id, step) VALUES (?, ?, ?)")) {
            s.setString(1, runId);
            s.setString(2, step);
            s.setString(3, text);
            s.executeUpdate();
        } catch (SQLException e) {
            throw failure("keep " + column + " of step " + step + " of run " + runId, e);
        }
    }

    private synchronized Map<String, String> pairs(String table, String column, String runId) {
        try (PreparedStatement s = connection.prepareStatement(
                "SELECT step, " + column + " FROM " + table + " WHERE run_id = ?")) {
            s.setString(1, runId);
            var found = new HashMap<String, String>();
            try (var rows = s.executeQuery()) {
                while (rows.next()) {
                    found.put(rows.getString(1), rows.getString(2));
                }
            }
            return Map.copyOf(found);
        } catch (SQLException e) {
            throw failure("read " + column + " of run " + runId, e);
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
