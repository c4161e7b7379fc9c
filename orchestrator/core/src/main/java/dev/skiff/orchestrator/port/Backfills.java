package dev.skiff.orchestrator.port;

import dev.skiff.orchestrator.domain.Backfill;
import java.util.List;
import java.util.Optional;

/**
 * The backfills asked for, kept where every process that drives them reads them: the embedded database, or S3 beside
 * the job specs in AWS mode. A record holds the request and two flags (cancelled, finished); never the progress.
 */
public interface Backfills {

    /** Stores the backfill unless one with its id exists; either way, what is stored now. */
    Stored create(Backfill backfill);

    Optional<Backfill> get(String id);

    /** The job's backfills, newest first. */
    List<Backfill> ofJob(String job);

    /** The backfills still to drive ({@link Backfill#open}). */
    List<Backfill> open();

    /** Stores a changed backfill (cancelled, finished) under its id. */
    void update(Backfill backfill);

    /** @param created false when a backfill with this id existed and is returned unchanged */
    record Stored(Backfill backfill, boolean created) {
    }
}
