package dev.skiff.orchestrator.domain;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;

/**
 * A request to run the fires of one schedule of a job between two instants, a few at a time. Only what was asked is
 * kept: its progress (which fires ran, how they ended) is read from the runs themselves, whose ids are the cron run
 * ids, so any process that reads this record (after a restart, on another replica) carries on where it stood.
 *
 * @param id             {@link #idOf}: the same job, schedule and range give the same backfill
 * @param schedule       the schedule's position in the job's {@code triggers.schedules}
 * @param from           the first fire time included
 * @param to             fires before this are included, not at it
 * @param maxConcurrency the most runs of this backfill active at once
 * @param createdAt      fires after this are left to the scheduler
 * @param cancelled      a cancelled backfill starts no more runs
 * @param finished       every planned fire's run has ended: nothing is left to drive
 */
public record Backfill(String id, String job, int schedule, Instant from, Instant to, int maxConcurrency,
                       Instant createdAt, boolean cancelled, boolean finished) {

    private static final int HASH_HEX_CHARS = 16;

    /** Still to be driven: neither cancelled nor finished. */
    public boolean open() {
        return !cancelled && !finished;
    }

    public Backfill cancel() {
        return new Backfill(id, job, schedule, from, to, maxConcurrency, createdAt, true, finished);
    }

    public Backfill finish() {
        return new Backfill(id, job, schedule, from, to, maxConcurrency, createdAt, cancelled, true);
    }

    /** {@code <job>-b-<first 16 hex of sha256(job, schedule, from, to)>}: at most 67 characters, safe in a URL and a key. */
    public static String idOf(String job, int schedule, Instant from, Instant to) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(
                    (job + "\n" + schedule + "\n" + from + "\n" + to).getBytes(StandardCharsets.UTF_8));
            return job + "-b-" + HexFormat.of().formatHex(digest).substring(0, HASH_HEX_CHARS);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
