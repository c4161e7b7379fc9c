package dev.skiff.orchestrator.app;

import dev.skiff.jobs.Schedule;
import dev.skiff.orchestrator.app.BackfillStatus.FireRun;
import dev.skiff.orchestrator.domain.Backfill;
import dev.skiff.orchestrator.port.RunEngine;
import dev.skiff.orchestrator.port.RunEngine.RunQuery;
import dev.skiff.workflows.Run;
import dev.skiff.workflows.RunIds;
import dev.skiff.workflows.RunStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Works out a backfill's status from the engine: one list of the job's newest cron runs (in AWS mode, ListExecutions
 * pages, no history read) gives each planned fire's run and status. An ended status never changes, so it is
 * remembered here: a fire whose run has dropped out of that list (a job firing every minute makes a thousand cron
 * runs in a day) keeps its answer. Remembering is only a saving; a new process starts with nothing and is as right.
 */
public final class BackfillProgress {

    /** The job's newest cron runs read each time: as many as the most fires a backfill plans. */
    static final int LISTED = BackfillService.MAX_FIRES;
    /** Bounds what is remembered; past it the memory starts again (and the engine is asked again). */
    private static final int REMEMBERED = 100_000;

    private final RunEngine engine;
    private final Map<String, RunStatus> ended = new ConcurrentHashMap<>();

    public BackfillProgress(RunEngine engine) {
        this.engine = engine;
    }

    /** The backfill's planned fires ({@link BackfillFires}) with their runs as the engine has them now. */
    public BackfillStatus of(Backfill backfill, Schedule schedule) {
        List<Instant> fires = BackfillFires.between(schedule, backfill.from(), backfill.to(), backfill.createdAt(),
                BackfillService.MAX_FIRES);
        Map<String, RunStatus> listed = new HashMap<>();
        for (Run run : engine.list(new RunQuery(Optional.of(backfill.job()), Set.of(), Optional.of("cron"), LISTED))) {
            listed.put(run.runId(), run.status());
        }
        List<FireRun> runs = new ArrayList<>(fires.size());
        for (Instant fire : fires.subList(0, Math.min(fires.size(), BackfillService.MAX_FIRES))) {
            String runId = RunIds.cron(backfill.job(), fire);
            RunStatus status = ended.get(runId);
            if (status == null) {
                status = listed.get(runId);
                remember(runId, status);
            }
            runs.add(new FireRun(fire, runId, Optional.ofNullable(status)));
        }
        return BackfillStatus.of(backfill, runs);
    }

    /** A run seen elsewhere (as a start answered), remembered if it ended. */
    void learned(Run run) {
        remember(run.runId(), run.status());
    }

    private void remember(String runId, RunStatus status) {
        if (status == null || !status.isTerminal()) {
            return;
        }
        if (ended.size() >= REMEMBERED) {
            ended.clear();
        }
        ended.put(runId, status);
    }
}
