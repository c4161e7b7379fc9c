package dev.skiff.orchestrator.port;

import dev.skiff.jobs.JobSpec;
import java.util.Optional;

/**
 * Specs a registry checked before, kept by the hash of their text (see {@code dev.skiff.jobs.CheckedSpecs}), so that a
 * restart reads each source and hashes it instead of parsing YAML and checking every rule: at 100,000 specs the check
 * was two thirds of the time to start. Only valid specs are kept; rules across specs (a name defined twice, jobs
 * that follow each other in a cycle) are decided on the whole catalog at every load, cached or not.
 *
 * <p>A cache holds the checked specs themselves, which the registry holds anyway, not their kept forms: at 100,000
 * specs the forms were 35 MB kept in memory from the start on, only to be written again.
 *
 * <p>{@link #find} and {@link #keep} may be called from many threads at once (a first load checks in parallel).
 */
public interface CheckedSpecCache {

    /**
     * The spec, valid in itself, whose text hashes to {@code hash}, if one was kept (whether this runtime runs it is
     * for the caller to decide).
     */
    Optional<JobSpec> find(SpecHash hash);

    /** Keeps a spec that passed every check of {@code dev.skiff.jobs.CheckedSpecs#check}, by the hash of its text. */
    void keep(SpecHash hash, JobSpec spec);

    /**
     * The hash of the text read from {@code source} when it showed {@code stamp}, if {@link #settle} recorded it: a
     * registry whose stamps tell every change (a file's modification time and size) need not read the source again.
     */
    default Optional<SpecHash> settled(String source, String stamp) {
        return Optional.empty();
    }

    /**
     * Records that {@code source}, showing {@code stamp}, held the text of {@code hash}, a valid spec {@link #keep}
     * kept. Only for a stamp that no later change can show again: a file modified too recently to trust its time is
     * not settled, and is read at the next start.
     */
    default void settle(String source, String stamp, SpecHash hash) {
    }

    /**
     * Stores what was kept since the last time, when it is time to: after the first load, then at most every so often
     * (not on every change: storing 100,000 entries costs more than a change). Cheap when nothing is to be stored.
     */
    void flush();

    /**
     * Stores what was kept since the last time, whether or not a {@link #flush} would now: at a clean shutdown, so that
     * the next start need not check again the specs changed since the last store.
     */
    void close();

    /** Keeps nothing: every spec is checked. */
    CheckedSpecCache NONE = new CheckedSpecCache() {
        @Override
        public Optional<JobSpec> find(SpecHash hash) {
            return Optional.empty();
        }

        @Override
        public void keep(SpecHash hash, JobSpec spec) {
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
}
