package dev.skiff.orchestrator.config;

import dev.skiff.orchestrator.port.Backfills;
import dev.skiff.orchestrator.port.MissedDeadlines;
import dev.skiff.orchestrator.port.PausedSchedules;
import dev.skiff.orchestrator.port.RunEngine;
import dev.skiff.orchestrator.port.TaskLauncher;
import dev.skiff.orchestrator.port.TaskRecords;
import dev.skiff.orchestrator.port.Watermarks;
import java.util.List;
import java.util.Optional;

/**
 * One of the ways Skiff runs (the embedded default, or AWS mode on Step Functions), chosen once from
 * {@code skiff.engine} by {@link ModeProducers}. The producers of the ports ask it for its parts instead of testing
 * the configuration, and {@link SkiffRuntime} starts and stops its loops. Each part is built on first use, so a
 * mode builds only what it runs (the embedded default no AWS client).
 */
interface SkiffMode {

    /** The engine and launcher this mode was chosen for. */
    ModeChoice choice();

    /** What in this mode's own configuration stops it from starting: every problem, each naming its key; empty when none. */
    List<String> configProblems();

    RunEngine engine();

    /** Whether this mode's engine runs multi-step jobs; if not, specs with steps are refused where applied or loaded. */
    default boolean runsPipelines() {
        return false;
    }

    TaskLauncher launcher();

    PausedSchedules pausedSchedules();

    /** Where backfills are kept: where every process that may drive them reads them. */
    Backfills backfills();

    TaskRecords taskRecords();

    /** Where missed deadlines are announced; empty when this mode publishes no run events. */
    Optional<MissedDeadlines> missedDeadlines();

    /** Where periodic checks keep how far they got. */
    Watermarks watermarks();

    /** Starts what keeps the runs moving; the jobs are loaded, and cron catches up only after this. */
    void start();

    /** Stops what {@link #start} started; running tasks are left alone for the next start to watch again. */
    void stop();
}
