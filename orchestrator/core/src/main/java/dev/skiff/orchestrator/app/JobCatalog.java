package dev.skiff.orchestrator.app;

import dev.skiff.jobs.EventRouter;
import dev.skiff.jobs.JobSpec;
import java.util.Collection;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * The jobs the orchestrator runs now. A registry adapter (a directory, later S3) replaces the whole
 * set at once; readers see one consistent snapshot of the jobs.
 *
 * <p>The event router is one for the catalog's life, updated in place by each replace: it compiles
 * only the rules of jobs whose patterns changed, since compiling every rule again takes seconds at a
 * thousand jobs. So a snapshot's router always matches the newest set of jobs.
 */
public final class JobCatalog {

    /** One consistent view: jobs by name, the router over the event patterns, and sources that failed to load. */
    public record Snapshot(Map<String, RegisteredJob> jobs, EventRouter router, List<SpecProblem> problems) {
    }

    private final EventRouter router = EventRouter.of(List.of());
    private volatile Snapshot current = new Snapshot(Map.of(), router, List.of());
    private final List<Consumer<Snapshot>> listeners = new CopyOnWriteArrayList<>();
    private final CountDownLatch loaded = new CountDownLatch(1);

    public Snapshot snapshot() {
        return current;
    }

    public Optional<JobSpec> find(String name) {
        return Optional.ofNullable(current.jobs().get(name)).map(RegisteredJob::spec);
    }

    /** Replaces every job; listeners (the cron scheduler) hear the new set. One replace at a time: the router has a single writer. */
    public synchronized void replace(Collection<RegisteredJob> jobs, List<SpecProblem> problems) {
        Map<String, RegisteredJob> byName = jobs.stream()
                .collect(Collectors.toUnmodifiableMap(j -> j.spec().name(), j -> j));
        router.update(jobs.stream().map(RegisteredJob::spec).toList());
        current = new Snapshot(byName, router, List.copyOf(problems));
        listeners.forEach(l -> l.accept(current));
        loaded.countDown();
    }

    /** The registry has been read once, even if it held no job (a replace may never come then). */
    public void markLoaded() {
        loaded.countDown();
    }

    /**
     * Waits until the registry has been read once. Whoever acts on a job named from outside (a launch request,
     * a task event) must not take "no such job" from a catalog that is merely not loaded yet, as right after a
     * restart, when queued messages arrive before the registry is read.
     *
     * @return false if the catalog was still empty after {@code within}
     */
    public boolean awaitLoaded(Duration within) throws InterruptedException {
        return loaded.await(within.toNanos(), TimeUnit.NANOSECONDS);
    }

    public void onChange(Consumer<Snapshot> listener) {
        listeners.add(listener);
    }
}
