package dev.skiff.orchestrator.app;

import dev.skiff.jobs.CheckedSpecs;
import dev.skiff.jobs.JobFollowers;
import dev.skiff.jobs.JobSpec;
import dev.skiff.jobs.JobSpecs;
import dev.skiff.jobs.ValidationResult;
import dev.skiff.jobs.Violation;
import dev.skiff.orchestrator.port.CheckedSpecCache;
import dev.skiff.orchestrator.port.SpecHash;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.Comparator;
import org.jboss.logging.Logger;

/**
 * What a job registry knows of its spec sources (files, S3 keys), shared by every registry adapter: each
 * source's version stamp when last read (modification time and size, an ETag), its last valid spec and its
 * current problems. A source that turns invalid keeps its last valid version running, and the catalog lists
 * why. Not thread-safe: each registry calls it under its own lock.
 *
 * <p>Everything costs what changed, not the number of sources: sources are indexed by the job they define, and
 * {@link #publish} looks only at the jobs whose sources were updated or forgotten since the last publish (and at the
 * few left out for closing a cycle), giving the catalog just those. With 100,000 specs, deciding every job again
 * per change took over 100 ms.
 */
public final class SpecSources {

    private record SourceState(String stamp, Optional<JobSpec> lastValid, List<String> problems) {
        Optional<String> jobName() {
            return lastValid.map(JobSpec::name);
        }
    }

    private final Map<String, SourceState> sources = new HashMap<>();
    /**
     * The sources whose last valid spec is each job, in order: the first defines the job, the others are ignored.
     * Immutable sorted lists, almost always of one source: a TreeSet per job took 120 bytes, 12 MB at 100,000 specs.
     */
    private final Map<String, List<String>> sourcesByJob = new HashMap<>();
    /** The jobs as the catalog holds them. */
    private final Map<String, RegisteredJob> published = new HashMap<>();
    /** Jobs left out because they closed a cycle of followers, by name; each change tries them again. */
    private final Map<String, RegisteredJob> leftOut = new HashMap<>();
    private final Map<String, SpecProblem> sourceProblems = new HashMap<>();
    /** Why each job in {@link #leftOut} is left out. */
    private final Map<String, SpecProblem> cycleProblems = new HashMap<>();
    /** Jobs whose sources changed since the last publish. */
    private Set<String> changedJobs = new HashSet<>();
    /** Sources read or forgotten since the last publish: their problems are decided again. */
    private Set<String> changedSources = new HashSet<>();
    private boolean publishedOnce;
    private final Logger log;
    private final boolean runsPipelines;
    private final CheckedSpecCache cache;

    /** @param log the registry adapter's logger, so what it loads is logged under its name */
    public SpecSources(Logger log) {
        this(log, false);
    }

    /** @param runsPipelines whether the runtime runs multi-step jobs ({@link RunnableSpecs#check(String, String, boolean)}) */
    public SpecSources(Logger log, boolean runsPipelines) {
        this(log, runsPipelines, CheckedSpecCache.NONE);
    }

    /** @param cache where the specs checked before are kept, so that a restart need not check them again */
    public SpecSources(Logger log, boolean runsPipelines, CheckedSpecCache cache) {
        this.log = log;
        this.runsPipelines = runsPipelines;
        this.cache = cache;
    }

    /** Whether {@code source} must be read: it is new, or its stamp differs from the one last read. */
    public boolean isStale(String source, String stamp) {
        SourceState before = sources.get(source);
        return before == null || !before.stamp().equals(stamp);
    }

    /** Every source read (valid or not) and not forgotten since. */
    public List<String> sources() {
        return List.copyOf(sources.keySet());
    }

    /** Whether no source was read (valid or not), or every one read was forgotten since. */
    public boolean isEmpty() {
        return sources.isEmpty();
    }

    /** Whether {@code source} was read (valid or not) and not forgotten since. */
    public boolean isKnown(String source) {
        return sources.containsKey(source);
    }

    /** Makes the next {@link #isStale} of {@code source} true: it was just written, whatever its stamp says. */
    public void markWritten(String source) {
        sources.computeIfPresent(source, (name, state) -> new SourceState("", state.lastValid(), state.problems()));
    }

    /**
     * Forgets every source not in {@code present}; true if any was forgotten. Looks each source up in a set: with
     * {@code retainAll} on a list every key was a linear search, quadratic at 100,000 specs on every reload.
     */
    public boolean retainOnly(Collection<String> present) {
        return !forgetAllBut(present).isEmpty();
    }

    /** As {@link #retainOnly}, giving the sources forgotten. */
    public List<String> forgetAllBut(Collection<String> present) {
        Set<String> keep = present instanceof Set<String> set ? set : new HashSet<>(present);
        List<String> gone = sources.keySet().stream().filter(source -> !keep.contains(source)).toList();
        gone.forEach(this::forget);
        return gone;
    }

    /** Forgets {@code source} (it was deleted); true if it was known. */
    public boolean forget(String source) {
        SourceState before = sources.remove(source);
        if (before == null) {
            return false;
        }
        before.jobName().ifPresent(name -> unindex(name, source));
        changedSources.add(source);
        return true;
    }

    /** Checks the text read from {@code source} at {@code stamp} and remembers the outcome. */
    public void update(String source, String stamp, String text) {
        remember(source, stamp, check(source, text));
    }

    /**
     * As {@link #update} for a source whose text was already checked with {@link #check}, which is safe to call from
     * many threads at once: a registry read from nothing checks its sources in parallel, then remembers them in order.
     */
    public void remember(String source, String stamp, ValidationResult result) {
        SourceState before = sources.get(source);
        if (before != null && before.problems().isEmpty() && result.valid() && before.lastValid().equals(result.spec())) {
            sources.put(source, new SourceState(stamp, before.lastValid(), List.of())); // touched, or read again to be sure
            return;
        }
        Optional<JobSpec> lastValid = before == null ? Optional.empty() : before.lastValid();
        SourceState now;
        if (result.valid()) {
            now = new SourceState(stamp, result.spec(), List.of());
            logLoad("%s job %s from %s", before == null ? "loaded" : "reloaded", result.spec().get().name(), source);
        } else {
            List<String> problems = result.violations().stream().map(Violation::toString).toList();
            now = new SourceState(stamp, lastValid, problems);
            log.warnf("%s is invalid; %s:%n  %s", source,
                    lastValid.map(s -> "job " + s.name() + " keeps running its last valid version").orElse("it is not loaded"),
                    String.join("\n  ", problems));
        }
        sources.put(source, now);
        if (before != null) {
            before.jobName().ifPresent(name -> unindex(name, source));
        }
        now.jobName().ifPresent(name -> {
            sourcesByJob.merge(name, List.of(source), SpecSources::union);
            changedJobs.add(name);
        });
        changedSources.add(source);
    }

    /**
     * Checks {@code text} read from {@code source}, or takes the spec from the cache when the same text was checked
     * valid before; touches no state of this object. Whether this runtime runs the spec (pipelines) is decided here
     * each time, as it is no property of the text.
     */
    public ValidationResult check(String source, String text) {
        return check(source, text, null);
    }

    /**
     * As {@link #check(String, String)}, recording in the cache that {@code source} showed {@code settledStamp} when
     * {@code text} was read from it, if the text is a valid spec ({@link CheckedSpecCache#settle}).
     *
     * @param settledStamp the source's stamp when read, if no later change can show the same one; else null
     */
    public ValidationResult check(String source, String text, String settledStamp) {
        if (cache == CheckedSpecCache.NONE) {
            return RunnableSpecs.check(source, text, runsPipelines); // nothing to hash or keep
        }
        SpecHash hash = SpecHash.of(text);
        Optional<JobSpec> kept = cache.find(hash);
        if (kept.isEmpty()) {
            ValidationResult checked = JobSpecs.check(source, text);
            if (!checked.valid()) {
                return checked;
            }
            kept = checked.spec();
            cache.keep(hash, kept.get());
        }
        if (settledStamp != null) {
            cache.settle(source, settledStamp, hash);
        }
        return runnable(source, kept.get());
    }

    /**
     * The spec of {@code source} as the cache knows it, without reading the source: when the cache recorded the text
     * the source held at this very {@code stamp} ({@link CheckedSpecCache#settled}); empty otherwise, and the caller
     * reads it. Safe to call from many threads at once.
     */
    public Optional<ValidationResult> checkUnread(String source, String stamp) {
        return cache.settled(source, stamp).flatMap(cache::find).map(spec -> runnable(source, spec));
    }

    /** A spec valid in itself, as this runtime takes it (it may not run pipelines). */
    private ValidationResult runnable(String source, JobSpec spec) {
        return RunnableSpecs.runnable(source, new ValidationResult(Optional.of(spec), List.of()), runsPipelines);
    }

    /**
     * A check's outcome for this runtime, and the kept form of a spec valid in itself ({@link CheckedSpecs}).
     *
     * @param kept present when the text is a valid spec, even if this runtime cannot run it (read back by
     *             {@link #fromKept}, which decides that again)
     */
    public record Checked(ValidationResult result, Optional<String> kept) {
    }

    /**
     * As {@link #check}, for a registry that keeps checked specs itself (the S3 registry's snapshot, known by object and
     * ETag rather than by the text's hash); safe to call from many threads at once.
     */
    public Checked checkKeeping(String source, String text) {
        CheckedSpecs.Outcome outcome = CheckedSpecs.check(source, text);
        return new Checked(RunnableSpecs.runnable(source, outcome.result(), runsPipelines), outcome.kept());
    }

    /**
     * The spec kept as {@code form} by {@link #checkKeeping}, as this runtime takes it; empty when {@code form} is
     * damaged (the caller reads the source again). Safe to call from many threads at once.
     */
    public Optional<ValidationResult> fromKept(String source, String form) {
        return readKept(source, form).map(spec -> runnable(source, spec));
    }

    /** A damaged entry is checked anew, as if it were not there. */
    private Optional<JobSpec> readKept(String source, String form) {
        try {
            return Optional.of(CheckedSpecs.read(form));
        } catch (IllegalArgumentException e) {
            log.debugf("the cached check of %s is not usable (%s); checking it again", source, e.getMessage());
            return Optional.empty();
        }
    }

    /** The first read of a registry loads every spec: one line each would be 100,000 lines, so they go to debug. */
    private void logLoad(String format, Object... args) {
        if (publishedOnce) {
            log.infof(format, args);
        } else {
            log.debugf(format, args);
        }
    }

    private void unindex(String name, String source) {
        sourcesByJob.computeIfPresent(name, (job, of) -> {
            List<String> rest = of.stream().filter(other -> !other.equals(source)).toList();
            return rest.isEmpty() ? null : rest;
        });
        changedJobs.add(name);
    }

    /** Two sorted lists of sources as one, sorted, each source once. */
    private static List<String> union(List<String> some, List<String> others) {
        var all = new TreeSet<>(some);
        all.addAll(others);
        return List.copyOf(all);
    }

    /** The sources whose last valid spec is the job {@code name}, in order. */
    public List<String> sourcesOf(String name) {
        return sourcesByJob.getOrDefault(name, List.of());
    }

    /**
     * Gives the catalog the jobs whose sources changed since the last publish (nothing if none did); of two sources
     * with the same job name, the first in order wins. Then lets the cache store the specs checked since, when due.
     */
    public void publish(JobCatalog catalog) {
        publishChanges(catalog);
        cache.flush();
    }

    /** Stores what the cache kept since its last store (a clean shutdown): the next start checks only what changes later. */
    public void close() {
        cache.close();
    }

    private void publishChanges(JobCatalog catalog) {
        if (changedJobs.isEmpty() && changedSources.isEmpty()) {
            return;
        }
        Map<String, RegisteredJob> wanted = new HashMap<>();
        Set<String> problemSources = changedSources; // taken, not copied: a first load names 100,000
        changedSources = new HashSet<>();
        for (String name : changedJobs) {
            List<String> of = sourcesByJob.get(name);
            wanted.put(name, of == null ? null : registered(of.get(0)));
            if (of != null) {
                problemSources.addAll(of);
            }
            leftOut.remove(name);
            cycleProblems.remove(name);
        }
        // Jobs left out earlier may load now, if this change broke their cycle: they are tried again with the changed ones.
        // Only a job that follows another can close a cycle: the others (most of a first load) are not sorted through.
        var tried = new TreeSet<String>();
        wanted.forEach((name, job) -> {
            if (job != null && follows(job)) {
                tried.add(name);
            }
        });
        leftOut.forEach((name, job) -> {
            wanted.put(name, job);
            tried.add(name);
        });
        leftOut.clear();
        cycleProblems.clear();
        leaveOutCycles(tried, wanted);
        var upserted = new ArrayList<RegisteredJob>();
        var removed = new ArrayList<String>();
        wanted.forEach((name, job) -> {
            if (job == null) {
                if (published.remove(name) != null) {
                    removed.add(name);
                }
            } else if (!job.equals(published.get(name))) {
                published.put(name, job);
                upserted.add(job);
            }
        });
        changedJobs = new HashSet<>(); // not cleared: a first load's set of 100,000 would keep its table for good
        // The problems are decided while the catalog's router compiles the jobs (on another thread for a large change).
        Supplier<List<SpecProblem>> problems = () -> {
            problemSources.forEach(this::decideProblems);
            return problems();
        };
        try {
            if (!upserted.isEmpty() || !removed.isEmpty()) {
                catalog.change(upserted, removed, problems);
            } else {
                List<SpecProblem> now = problems.get();
                if (!now.equals(catalog.snapshot().problems())) {
                    catalog.change(upserted, removed, now);
                }
            }
        } finally {
            if (!publishedOnce) {
                log.infof("loaded %d jobs from %d sources (%d with problems)", published.size(), sources.size(), sourceProblems.size());
            }
            publishedOnce = true;
        }
    }

    private static boolean follows(RegisteredJob job) {
        return !job.spec().triggers().after().isEmpty();
    }

    private RegisteredJob registered(String source) {
        return new RegisteredJob(sources.get(source).lastValid().orElseThrow(), source);
    }

    /** The problems of {@code source}: its own, and that another source defines its job first. */
    private void decideProblems(String source) {
        SourceState state = sources.get(source);
        if (state == null) {
            sourceProblems.remove(source);
            return;
        }
        Optional<String> first = state.jobName().map(name -> sourcesByJob.get(name).get(0));
        if (state.problems().isEmpty() && first.map(source::equals).orElse(false)) {
            sourceProblems.remove(source); // most sources at a first load: no list made for them
            return;
        }
        var problems = new ArrayList<>(state.problems());
        if (first.isPresent() && !first.get().equals(source)) {
            problems.add(source + ": name: " + state.jobName().get() + " is already defined in " + first.get()
                    + "; this file is ignored");
        }
        if (problems.isEmpty()) {
            sourceProblems.remove(source);
        } else {
            boolean kept = first.map(source::equals).orElse(false);
            sourceProblems.put(source, new SpecProblem(source, problems, kept ? state.jobName() : Optional.empty()));
        }
    }

    private List<SpecProblem> problems() {
        var all = new ArrayList<SpecProblem>(sourceProblems.values());
        all.sort(Comparator.comparing(SpecProblem::source));
        cycleProblems.values().stream().sorted(Comparator.comparing(SpecProblem::source)).forEach(all::add);
        return all;
    }

    /**
     * Files valid one by one may still make jobs follow each other in a cycle, whose runs would start each other for
     * ever: of each cycle, the job last by name is left out (its source listed with the cycle). A new cycle runs
     * through a job that changed (or one left out before and tried again), so only cycles through {@code tried} are
     * looked for, each walking only its jobs' upstreams.
     *
     * @param wanted the jobs as they are to be after this change ({@code null}: not loaded); the rest are as published
     */
    private void leaveOutCycles(Collection<String> tried, Map<String, RegisteredJob> wanted) {
        Function<String, JobSpec> jobs = name -> {
            RegisteredJob job = wanted.containsKey(name) ? wanted.get(name) : published.get(name);
            return job == null ? null : job.spec();
        };
        for (String name : tried) {
            for (var cycle = cycleThrough(name, jobs); cycle.isPresent(); cycle = cycleThrough(name, jobs)) {
                String last = cycle.get().stream().max(String::compareTo).orElseThrow();
                RegisteredJob left = wanted.containsKey(last) ? wanted.get(last) : published.get(last);
                wanted.put(last, null);
                leftOut.put(last, left);
                String problem = left.source() + ": triggers.after: job " + last + " closes a cycle of jobs that follow each"
                        + " other (" + String.join(" after ", cycle.get()) + "); this file is not loaded";
                log.warnf("%s", problem);
                cycleProblems.put(last, new SpecProblem(left.source(), List.of(problem), Optional.empty()));
            }
        }
    }

    private static Optional<List<String>> cycleThrough(String name, Function<String, JobSpec> jobs) {
        JobSpec job = jobs.apply(name);
        return job == null || job.triggers().after().isEmpty() ? Optional.empty() : JobFollowers.cycleThrough(job, jobs);
    }
}
