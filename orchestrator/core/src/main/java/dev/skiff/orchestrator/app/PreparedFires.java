package dev.skiff.orchestrator.app;

import dev.skiff.jobs.Schedule;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The next fire of every schedule of one published catalog after an instant, computed ahead on another thread: a start
 * publishes the registry's first load, then does other work (the engine's start, the catch-up's queries) before the
 * queue is built, and meanwhile the second core computes these (at 100,000 specs, 60,000 cron computations and a walk
 * of every job were a tenth of a start's main thread).
 *
 * <p>A fire computed ahead is exact for any later instant it is still after: no fire of its schedule falls between.
 * The queue takes those as they are and computes anew only the fires that fell due in between, and the fires of a job
 * whose schedules changed since (another list than the one computed from).
 */
final class PreparedFires {

    private final JobCatalog.Snapshot snapshot;
    private final Instant after;
    private final Map<String, List<Schedule>> schedules;
    /** Each job's fires, by schedule index; null where a schedule never fires after {@link #after}. */
    private final Map<String, Instant[]> fires;

    private PreparedFires(JobCatalog.Snapshot snapshot, Instant after, Map<String, List<Schedule>> schedules,
                          Map<String, Instant[]> fires) {
        this.snapshot = snapshot;
        this.after = after;
        this.schedules = schedules;
        this.fires = fires;
    }

    /** Computes the next fire after {@code after} of every schedule of {@code snapshot}: the slow part, for another thread. */
    static PreparedFires of(JobCatalog.Snapshot snapshot, Instant after) {
        Map<String, List<Schedule>> schedules = schedulesByJob(snapshot);
        Map<String, Instant[]> fires = new HashMap<>(schedules.size() * 4 / 3 + 1);
        var next = new NextFires();
        schedules.forEach((job, ofJob) -> {
            Instant[] at = new Instant[ofJob.size()];
            for (int i = 0; i < at.length; i++) {
                at[i] = next.after(ofJob.get(i), after).orElse(null);
            }
            fires.put(job, at);
        });
        return new PreparedFires(snapshot, after, schedules, fires);
    }

    /** Every job of the catalog that has a schedule, with its schedules. */
    static Map<String, List<Schedule>> schedulesByJob(JobCatalog.Snapshot snapshot) {
        Map<String, List<Schedule>> schedules = new HashMap<>();
        for (RegisteredJob job : snapshot.jobs().values()) {
            if (!job.spec().triggers().schedules().isEmpty()) {
                schedules.put(job.spec().name(), job.spec().triggers().schedules());
            }
        }
        return schedules;
    }

    /** Whether these fires can serve a rebuild from {@code now}: none is computed for a later instant. */
    boolean serves(Instant now) {
        return !now.isBefore(after);
    }

    /** The jobs' schedules of {@code current}: the ones computed from if it is that very snapshot (no walk of every job). */
    Map<String, List<Schedule>> schedulesOf(JobCatalog.Snapshot current) {
        return current == snapshot ? schedules : schedulesByJob(current);
    }

    /**
     * The next fire after {@code now} (not before {@link #after}) of schedule {@code index} of {@code job}: the one
     * computed ahead while it is still after {@code now} and the job's schedules are the list computed from, else anew.
     */
    Optional<Instant> nextAfter(String job, List<Schedule> ofJob, int index, Instant now, NextFires next) {
        Instant[] ahead = schedules.get(job) == ofJob ? fires.get(job) : null;
        if (ahead == null) {
            return next.after(ofJob.get(index), now);
        }
        Instant fire = ahead[index];
        if (fire == null) {
            return Optional.empty(); // none after the earlier instant, so none after now
        }
        return fire.isAfter(now) ? Optional.of(fire) : next.after(ofJob.get(index), now);
    }
}
