package dev.skiff.orchestrator.app;

import dev.skiff.orchestrator.domain.Backfill;
import dev.skiff.workflows.RunStatus;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Where a backfill stands, worked out from its runs (never counted along the way, so it is as right after a crash as
 * before).
 *
 * @param planned   the fires in its range
 * @param started   the fires whose run exists
 * @param running   of those, the runs not ended yet
 * @param succeeded the runs that ended SUCCEEDED
 * @param failed    the runs that ended otherwise (FAILED, TIMED_OUT, CANCELLED)
 * @param runs      every planned fire with its run id, and its run's status once it has one
 * @param blockedBy why no fire can start now, while the backfill's job or schedule is not registered (its fires are
 *                  then unknown: planned, runs and the counts are empty)
 */
public record BackfillStatus(Backfill backfill, State state, int planned, int started, int running, int succeeded,
                             int failed, List<FireRun> runs, Optional<String> blockedBy) {

    /**
     * RUNNING until every planned fire's run ended (then SUCCEEDED, or FAILED if any did not); CANCELLED once cancelled.
     * BLOCKED while its job or schedule is gone (a removed or edited spec, maybe for a moment): no fire can be planned
     * or started, and it goes on where it stopped when they are back. A backfill that had finished keeps its
     * outcome unknown meanwhile: ENDED.
     */
    public enum State { RUNNING, SUCCEEDED, FAILED, CANCELLED, BLOCKED, ENDED }

    /** @param status empty while the fire has no run */
    public record FireRun(Instant fireTime, String runId, Optional<RunStatus> status) {

        boolean missing() {
            return status.isEmpty();
        }

        boolean active() {
            return status.isPresent() && !status.get().isTerminal();
        }
    }

    public BackfillStatus {
        runs = List.copyOf(runs);
    }

    /** A backfill whose job or schedule is not registered now, for the reason given. */
    static BackfillStatus blocked(Backfill backfill, String reason) {
        State state = backfill.cancelled() ? State.CANCELLED : backfill.finished() ? State.ENDED : State.BLOCKED;
        return new BackfillStatus(backfill, state, 0, 0, 0, 0, 0, List.of(), Optional.of(reason));
    }

    static BackfillStatus of(Backfill backfill, List<FireRun> runs) {
        int started = 0;
        int running = 0;
        int succeeded = 0;
        int failed = 0;
        for (FireRun run : runs) {
            if (run.missing()) {
                continue;
            }
            started++;
            if (run.active()) {
                running++;
            } else if (run.status().get() == RunStatus.SUCCEEDED) {
                succeeded++;
            } else {
                failed++;
            }
        }
        boolean ended = succeeded + failed == runs.size();
        State state = backfill.cancelled() ? State.CANCELLED
                : !ended ? State.RUNNING : failed == 0 ? State.SUCCEEDED : State.FAILED;
        return new BackfillStatus(backfill, state, runs.size(), started, running, succeeded, failed, runs, Optional.empty());
    }

    /** Every planned fire's run has ended (never while blocked: its fires are unknown then). */
    public boolean ended() {
        return blockedBy.isEmpty() && succeeded + failed == planned;
    }
}
