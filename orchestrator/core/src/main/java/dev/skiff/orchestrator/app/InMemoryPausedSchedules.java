package dev.skiff.orchestrator.app;

import dev.skiff.jobs.Schedule;
import dev.skiff.orchestrator.port.PausedSchedules;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Pauses that last as long as the process: for tests, benchmarks and tools with no database. */
public final class InMemoryPausedSchedules implements PausedSchedules {

    private final Set<String> paused = ConcurrentHashMap.newKeySet();

    @Override
    public boolean isPaused(String job, Schedule schedule) {
        return paused.contains(PausedSchedules.key(job, schedule));
    }

    @Override
    public boolean pause(String job, Schedule schedule) {
        return paused.add(PausedSchedules.key(job, schedule));
    }

    @Override
    public boolean resume(String job, Schedule schedule) {
        return paused.remove(PausedSchedules.key(job, schedule));
    }
}
