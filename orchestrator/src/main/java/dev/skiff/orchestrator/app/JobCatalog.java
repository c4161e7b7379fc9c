package dev.skiff.orchestrator.app;

import dev.skiff.jobs.EventRouter;
import dev.skiff.jobs.JobSpec;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * The jobs the orchestrator runs now. A registry adapter (a directory, later S3) replaces the whole
 * set at once; readers see one consistent snapshot, with the event router built for exactly it.
 */
public final class JobCatalog {

    /** One consistent view: jobs by name, the router over their event patterns, and sources that failed to load. */
    public record Snapshot(Map<String, RegisteredJob> jobs, EventRouter router, List<SpecProblem> problems) {
    }

    private volatile Snapshot current = new Snapshot(Map.of(), EventRouter.of(List.of()), List.of());
    private final List<Consumer<Snapshot>> listeners = new CopyOnWriteArrayList<>();

    public Snapshot snapshot() {
        return current;
    }

    public Optional<JobSpec> find(String name) {
        return Optional.ofNullable(current.jobs().get(name)).map(RegisteredJob::spec);
    }

    /** Replaces every job; listeners (the cron scheduler) hear the new set. */
    public void replace(Collection<RegisteredJob> jobs, List<SpecProblem> problems) {
        Map<String, RegisteredJob> byName = jobs.stream()
                .collect(Collectors.toUnmodifiableMap(j -> j.spec().name(), j -> j));
        var router = EventRouter.of(jobs.stream().map(RegisteredJob::spec).toList());
        current = new Snapshot(byName, router, List.copyOf(problems));
        listeners.forEach(l -> l.accept(current));
    }

    public void onChange(Consumer<Snapshot> listener) {
        listeners.add(listener);
    }
}
