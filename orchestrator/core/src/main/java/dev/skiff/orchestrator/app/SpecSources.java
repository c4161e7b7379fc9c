package dev.skiff.orchestrator.app;

import dev.skiff.jobs.JobFollowers;
import dev.skiff.jobs.JobSpec;
import dev.skiff.jobs.ValidationResult;
import dev.skiff.jobs.Violation;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.jboss.logging.Logger;

/**
 * What a job registry knows of its spec sources (files, S3 keys), shared by every registry adapter: each
 * source's version stamp when last read (modification time and size, an ETag), its last valid spec and its
 * current problems. A source that turns invalid keeps its last valid version running, and the catalog lists
 * why. Not thread-safe: each registry calls it under its own lock.
 */
public final class SpecSources {

    private record SourceState(String stamp, Optional<JobSpec> lastValid, List<String> problems) {
    }

    private final Map<String, SourceState> sources = new HashMap<>();
    private final Logger log;
    private final boolean runsPipelines;

    /** @param log the registry adapter's logger, so what it loads is logged under its name */
    public SpecSources(Logger log) {
        this(log, false);
    }

    /** @param runsPipelines whether the runtime runs multi-step jobs ({@link RunnableSpecs#check(String, String, boolean)}) */
    public SpecSources(Logger log, boolean runsPipelines) {
        this.log = log;
        this.runsPipelines = runsPipelines;
    }

    /** Whether {@code source} must be read: it is new, or its stamp differs from the one last read. */
    public boolean isStale(String source, String stamp) {
        SourceState before = sources.get(source);
        return before == null || !before.stamp().equals(stamp);
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
        Set<String> keep = present instanceof Set<String> set ? set : new HashSet<>(present);
        return sources.keySet().removeIf(source -> !keep.contains(source));
    }

    /** Checks the text read from {@code source} at {@code stamp} and remembers the outcome. */
    public void update(String source, String stamp, String text) {
        SourceState before = sources.get(source);
        ValidationResult result = RunnableSpecs.check(source, text, runsPipelines);
        Optional<JobSpec> lastValid = before == null ? Optional.empty() : before.lastValid();
        if (result.valid()) {
            sources.put(source, new SourceState(stamp, result.spec(), List.of()));
            log.infof("%s job %s from %s", before == null ? "loaded" : "reloaded", result.spec().get().name(), source);
        } else {
            List<String> problems = result.violations().stream().map(Violation::toString).toList();
            sources.put(source, new SourceState(stamp, lastValid, problems));
            log.warnf("%s is invalid; %s:%n  %s", source,
                    lastValid.map(s -> "job " + s.name() + " keeps running its last valid version").orElse("it is not loaded"),
                    String.join("\n  ", problems));
        }
    }

    /** The sources whose last valid spec is the job {@code name}, in order. */
    public List<String> sourcesOf(String name) {
        return sources.entrySet().stream()
                .filter(e -> e.getValue().lastValid().map(s -> s.name().equals(name)).orElse(false))
                .map(Map.Entry::getKey).sorted().toList();
    }

    /** Gives the catalog every job; of two sources with the same job name, the first in order wins. */
    public void publish(JobCatalog catalog) {
        var jobs = new TreeMap<String, RegisteredJob>();
        var problems = new ArrayList<SpecProblem>();
        sources.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(entry -> {
            String source = entry.getKey();
            SourceState state = entry.getValue();
            var sourceProblems = new ArrayList<>(state.problems());
            state.lastValid().ifPresent(spec -> {
                RegisteredJob first = jobs.get(spec.name());
                if (first == null) {
                    jobs.put(spec.name(), new RegisteredJob(spec, source));
                } else {
                    sourceProblems.add(source + ": name: " + spec.name() + " is already defined in " + first.source()
                            + "; this file is ignored");
                }
            });
            if (!sourceProblems.isEmpty()) {
                boolean kept = state.lastValid().map(s -> jobs.get(s.name()).source().equals(source)).orElse(false);
                problems.add(new SpecProblem(source, sourceProblems,
                        kept ? state.lastValid().map(JobSpec::name) : Optional.empty()));
            }
        });
        leaveOutCycles(jobs, problems);
        catalog.replace(jobs.values(), problems);
    }

    /**
     * Files valid one by one may still make jobs follow each other in a cycle, whose runs would start each other for
     * ever: of each cycle, the job last by name is left out (its source listed with the cycle) until none is left.
     */
    private void leaveOutCycles(Map<String, RegisteredJob> jobs, List<SpecProblem> problems) {
        for (var cycle = JobFollowers.anyCycle(specs(jobs)); cycle.isPresent(); cycle = JobFollowers.anyCycle(specs(jobs))) {
            String last = cycle.get().stream().max(String::compareTo).orElseThrow();
            RegisteredJob left = jobs.remove(last);
            String problem = left.source() + ": triggers.after: job " + last + " closes a cycle of jobs that follow each"
                    + " other (" + String.join(" after ", cycle.get()) + "); this file is not loaded";
            log.warnf("%s", problem);
            problems.add(new SpecProblem(left.source(), List.of(problem), Optional.empty()));
        }
    }

    private static List<JobSpec> specs(Map<String, RegisteredJob> jobs) {
        return jobs.values().stream().map(RegisteredJob::spec).toList();
    }
}
