package dev.skiff.orchestrator.api;

import dev.skiff.orchestrator.app.BackfillStatus;
import dev.skiff.orchestrator.domain.Backfill;
import java.time.Instant;
import java.util.List;

/**
 * A backfill as the API shows it: what was asked, and its status worked out from its runs.
 *
 * @param runs      every planned fire, oldest first, with its run's status ("NOT_STARTED" while it has no run); left out
 *                  of lists
 * @param blockedBy why no fire can start while the state is BLOCKED (or ENDED, CANCELLED with the job gone); absent
 *                  otherwise
 */
public record BackfillView(String id, String job, int schedule, Instant from, Instant to, int maxConcurrency,
                           Instant createdAt, String state, int planned, int started, int running, int succeeded,
                           int failed, List<FireView> runs, String blockedBy) {

    /** One planned fire and its run. */
    public record FireView(Instant fireTime, String runId, String status) {
    }

    static BackfillView of(BackfillStatus status) {
        return of(status, status.runs().stream().map(r -> new FireView(r.fireTime(), r.runId(),
                r.status().map(Enum::name).orElse("NOT_STARTED"))).toList());
    }

    static BackfillView summary(BackfillStatus status) {
        return of(status, null);
    }

    private static BackfillView of(BackfillStatus status, List<FireView> runs) {
        Backfill b = status.backfill();
        return new BackfillView(b.id(), b.job(), b.schedule(), b.from(), b.to(), b.maxConcurrency(), b.createdAt(),
                status.state().name(), status.planned(), status.started(), status.running(), status.succeeded(),
                status.failed(), runs, status.blockedBy().orElse(null));
    }
}
