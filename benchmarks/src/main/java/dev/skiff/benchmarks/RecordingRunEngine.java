package dev.skiff.benchmarks;

import dev.skiff.jobs.JobSpec;
import dev.skiff.orchestrator.domain.NotFoundException;
import dev.skiff.orchestrator.port.RunEngine;
import dev.skiff.workflows.Run;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * A run engine that only records starts, so a benchmark measures what comes before the engine.
 * When it remembers runs, it keeps each run id with the instant its start was asked for, and
 * answers {@link #get} and {@link #exists} from them, as the scheduler's duplicate check needs; no run ever becomes active.
 */
final class RecordingRunEngine implements RunEngine {

    private final Clock clock;
    private final boolean remember;
    private final LongAdder starts = new LongAdder();
    private final Map<String, Instant> started = new ConcurrentHashMap<>();

    /** @param remember keep each run id and its start instant (the cron benchmark); else only count (intake) */
    RecordingRunEngine(Clock clock, boolean remember) {
        this.clock = clock;
        this.remember = remember;
    }

    @Override
    public Started start(String runId, JobSpec job, String trigger, Map<String, String> parameters) {
        Instant now = clock.instant();
        starts.increment();
        if (remember && started.putIfAbsent(runId, now) != null) {
            return new Started(Run.create(runId, job.name(), trigger, parameters, job.capacity(), now), false);
        }
        return new Started(Run.create(runId, job.name(), trigger, parameters, job.capacity(), now), true);
    }

    @Override
    public Optional<Run> get(String runId) {
        Instant at = started.get(runId);
        return at == null ? Optional.empty() : Optional.of(Run.create(runId, "recorded", "cron", Map.of(), null, at));
    }

    @Override
    public boolean exists(String runId) {
        return started.containsKey(runId);
    }

    @Override
    public List<Run> list(RunQuery query) {
        return List.of(); // nothing is ever active: runs are recorded, not run
    }

    @Override
    public List<String> activeRunIds(String job, int limit) {
        return List.of(); // nothing is ever active: runs are recorded, not run
    }

    @Override
    public Run cancel(String runId, String reason) {
        throw NotFoundException.run(runId); // recorded, never run
    }

    long starts() {
        return starts.sum();
    }

    /** Run id to the instant its start was asked for; empty unless remembering. */
    Map<String, Instant> started() {
        return started;
    }

    void forget() {
        started.clear();
        starts.reset();
    }
}
