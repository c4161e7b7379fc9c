package dev.skiff.orchestrator.app;

import dev.skiff.orchestrator.port.Watermarks;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * How far the cron schedules were fired: every fire due at or before the mark was started, or skipped or given up on
 * by its policies, by a scheduler that ran then. It is kept where a restart and every replica read it
 * ({@link Watermarks}), so a restart asks the engine about the jobs that had a fire after the mark only. Without it,
 * the catch-up asked for the newest cron run of every scheduled job: in AWS mode one ListExecutions each, 60,000 calls
 * at each replica's start with 60,000 scheduled jobs, on a throttled quota the account shares.
 *
 * <p>Any replica's mark holds for all: each fires every schedule (cron run ids make one run of a fire). It names fire
 * times, not moments, so replicas' clocks need not agree: a replica whose clock is ahead did deal with every fire up
 * to its mark, only early. Two replicas writing in turn may move it back, which only widens a catch-up. It is
 * written at most once a {@link #WRITE_EVERY} (an S3 PUT a minute per replica), and never past a fire still waiting
 * for a retry. Only the scheduler's thread writes it.
 */
final class FiredUpTo {

    private static final Logger LOG = Logger.getLogger(FiredUpTo.class);
    /** The watermark's name. */
    static final String WATERMARK = "cron";
    static final Duration WRITE_EVERY = Duration.ofMinutes(1);

    /** No mark kept (tests, benchmarks): every restart asks about every scheduled job. */
    static final FiredUpTo NONE = new FiredUpTo(null);

    private final Watermarks watermarks;
    private Instant writtenAt = Instant.MIN;

    FiredUpTo(Watermarks watermarks) {
        this.watermarks = watermarks;
    }

    /**
     * At or before which every fire was dealt with; empty when no scheduler left a mark or it cannot be read (the
     * catch-up then asks about every job, as before there was a mark).
     */
    Optional<Instant> read() {
        if (watermarks == null) {
            return Optional.empty();
        }
        try {
            return watermarks.get(WATERMARK);
        } catch (RuntimeException e) {
            LOG.warnf("cannot read how far cron fired (%s); the catch-up asks about every scheduled job", e.getMessage());
            return Optional.empty();
        }
    }

    /**
     * Every fire due at or before {@code upTo} was dealt with. Written when the last write is {@link #WRITE_EVERY}
     * old; a write that fails is tried at the next tick, and costs only a wider catch-up after a restart.
     */
    void dealtWith(Instant upTo, Instant now) {
        if (watermarks == null || now.isBefore(writtenAt.plus(WRITE_EVERY))) {
            return;
        }
        try {
            watermarks.put(WATERMARK, upTo);
            writtenAt = now;
        } catch (RuntimeException e) {
            LOG.warnf("cannot keep how far cron fired (%s); tried again at the next fire", e.getMessage());
        }
    }
}
