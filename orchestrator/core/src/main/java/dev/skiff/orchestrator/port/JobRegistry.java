package dev.skiff.orchestrator.port;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Where job specs live (a directory, an S3 prefix). It publishes what it reads to the job catalog; writes
 * through the API go here and are read back by {@link #reload()}, on this replica and on every other.
 */
public interface JobRegistry {

    /** Reads what changed since the last call and, if anything did, gives the catalog the new set. */
    void reload();

    /**
     * Stores an already validated spec for job {@code name}: over the source the job was loaded from,
     * else as a new source named after the job. Durable when this returns.
     */
    void put(String name, String text);

    /** Removes every source of job {@code name}; false if the registry holds none. */
    boolean delete(String name);

    /**
     * Completes once the registry was read as it is, not only as a snapshot of it said it was: the S3 registry may
     * publish its snapshot at start and list the bucket after. What acts on every job at once from a start (the
     * scheduler's catch-up of fires missed while stopped) waits for this; others complete it within {@link #reload}.
     */
    default CompletionStage<Void> listed() {
        return CompletableFuture.completedFuture(null);
    }

    /** Where the registry is, for people (a directory, {@code s3://bucket/prefix/}). */
    String location();

    /**
     * At a clean shutdown, after the last {@link #reload}: stores what the next start can use (the directory registry's
     * spec cache) and lets go of what the registry holds.
     */
    default void close() {
    }
}
