package dev.skiff.orchestrator.app;

import dev.skiff.jobs.EventRouter;
import dev.skiff.jobs.JobSpec;
import dev.skiff.jobs.LayeredMap;
import java.util.Collection;
import java.time.Duration;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The jobs the orchestrator runs now. A registry adapter gives it what changed ({@link #change}), or a whole new set
 * ({@link #replace}); readers see one consistent snapshot of the jobs.
 *
 * <p>A change costs what changed, not the size of the catalog: the jobs map is layered ({@link LayeredMap}), the event
 * router recompiles only the changed jobs' rules, and listeners are told which jobs changed
 * ({@link Snapshot#changed()}) so they touch only those. With 100,000 jobs, walking every job per change took 132 ms.
 * A snapshot's router always matches the newest set of jobs.
 *
 * <p>A large change (a start's first load) compiles the router's rules on another thread while the calling thread does
 * the rest of the change: with 100,000 jobs, the compile was half of the publish, which came alone on the main thread
 * of a start while the second core idled.
 */
public final class JobCatalog {

    /**
     * From this many jobs changed at once, the router compiles on another thread. A one-spec change stays on the
     * caller's: a hand-over costs more than it saves there.
     */
    static final int COMPILED_APART_FROM = 1_000;

    /**
     * One consistent view: jobs by name, the router over the event patterns, sources that failed to load, and the
     * names of the jobs added, replaced or removed since the snapshot before.
     */
    public record Snapshot(Map<String, RegisteredJob> jobs, EventRouter router, List<SpecProblem> problems,
                           Set<String> changed) {
    }

    private final EventRouter router = EventRouter.of(List.of());
    /** The current snapshot's jobs, as the map that a change layers over. */
    private LayeredMap<String, RegisteredJob> jobs = LayeredMap.of(Map.of());
    private volatile Snapshot current = new Snapshot(jobs, router, List.of(), Set.of());
    private final List<Consumer<Snapshot>> listeners = new CopyOnWriteArrayList<>();
    private final CountDownLatch loaded = new CountDownLatch(1);
    /** Where the router compiles a large change. */
    private final Executor compiler;

    /** A catalog whose large changes compile on the common pool. */
    public JobCatalog() {
        this(ForkJoinPool.commonPool());
    }

    /** @param compiler where the router compiles a change of {@value #COMPILED_APART_FROM} jobs or more */
    JobCatalog(Executor compiler) {
        this.compiler = compiler;
    }

    public Snapshot snapshot() {
        return current;
    }

    public Optional<JobSpec> find(String name) {
        return Optional.ofNullable(current.jobs().get(name)).map(RegisteredJob::spec);
    }

    /**
     * Replaces every job, matching events in the order given; listeners hear which jobs differ. Costs the size of the
     * catalog: a registry that knows what changed calls {@link #change}.
     */
    public synchronized void replace(Collection<RegisteredJob> jobs, List<SpecProblem> problems) {
        Map<String, RegisteredJob> byName = jobs.stream()
                .collect(Collectors.toUnmodifiableMap(j -> j.spec().name(), j -> j));
        router.update(jobs.stream().map(RegisteredJob::spec).toList());
        Map<String, RegisteredJob> before = current.jobs();
        Set<String> changed = new HashSet<>();
        byName.forEach((name, job) -> {
            if (!job.equals(before.get(name))) {
                changed.add(name);
            }
        });
        before.keySet().stream().filter(name -> !byName.containsKey(name)).forEach(changed::add);
        publish(LayeredMap.of(byName), problems, Collections.unmodifiableSet(changed));
    }

    /**
     * Adds or replaces {@code upserted} and removes the jobs named in {@code removed}; {@code problems} are the
     * registry's problems now (all of them). One change at a time: the router has a single writer.
     */
    public synchronized void change(Collection<RegisteredJob> upserted, Collection<String> removed, List<SpecProblem> problems) {
        change(upserted, removed, () -> problems);
    }

    /**
     * As {@link #change(Collection, Collection, List)}, deciding the problems while the router compiles a large change
     * on another thread. If the router refuses the change (as {@link EventRouter#change}), nothing changed. If
     * {@code problems} fails, the jobs are still published, with the problems as they were, and its failure is
     * thrown: the router has them already, and a snapshot's router matches its jobs.
     */
    public synchronized void change(Collection<RegisteredJob> upserted, Collection<String> removed,
                                    Supplier<List<SpecProblem>> problems) {
        Map<String, RegisteredJob> put = new HashMap<>();
        upserted.forEach(job -> put.put(job.spec().name(), job));
        Map<String, RegisteredJob> before = current.jobs();
        List<String> gone = removed.stream().filter(name -> !put.containsKey(name) && before.containsKey(name)).toList();
        List<JobSpec> specs = put.values().stream().map(RegisteredJob::spec).toList();
        CompletableFuture<Void> compiled = null;
        if (specs.size() + gone.size() >= COMPILED_APART_FROM) {
            compiled = CompletableFuture.runAsync(() -> router.change(specs, gone), compiler);
        } else {
            router.change(specs, gone);
        }
        LayeredMap<String, RegisteredJob> newJobs = jobs.with(put, gone);
        Set<String> changed = before.isEmpty() ? newJobs.keySet() : changedNames(before, put, gone);
        List<SpecProblem> decided;
        try {
            decided = problems.get();
        } catch (RuntimeException e) {
            awaitCompiled(compiled); // a change the router refused changed nothing, whatever else failed
            publish(newJobs, current.problems(), changed);
            throw e;
        }
        awaitCompiled(compiled);
        publish(newJobs, decided, changed);
    }

    /**
     * The names of the jobs added, replaced by another spec, or removed. (From an empty catalog, every job is new: the
     * new map's own key set says so, with no set of 100,000 names built and copied.)
     */
    private static Set<String> changedNames(Map<String, RegisteredJob> before, Map<String, RegisteredJob> put, List<String> gone) {
        Set<String> changed = new HashSet<>(gone);
        put.forEach((name, job) -> {
            if (!job.equals(before.get(name))) {
                changed.add(name);
            }
        });
        return Collections.unmodifiableSet(changed);
    }

    /** Waits for the router's compile on another thread (null: it compiled here), passing on its failure as it came. */
    private static void awaitCompiled(CompletableFuture<Void> compiled) {
        if (compiled == null) {
            return;
        }
        try {
            compiled.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw e;
        }
    }

    /** @param changed not written after (listeners may keep it) */
    private void publish(LayeredMap<String, RegisteredJob> newJobs, List<SpecProblem> problems, Set<String> changed) {
        jobs = newJobs;
        Snapshot snapshot = new Snapshot(newJobs, router, List.copyOf(problems), changed);
        current = snapshot;
        listeners.forEach(l -> l.accept(snapshot));
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
