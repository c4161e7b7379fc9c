package dev.skiff.jobs;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Which jobs follow which ({@code triggers.after}), across a registry: a cycle between jobs would start runs for ever,
 * so a spec that closes one is refused; an upstream job that is not registered is only warned about (it may be
 * registered next).
 */
public final class JobFollowers {

    private JobFollowers() {
    }

    /**
     * The cycle {@code candidate} would close among {@code registered} (whose spec of the same name it replaces), as the
     * jobs in order from the candidate back to itself ({@code a -> b -> a}); empty when it closes none.
     */
    public static Optional<List<String>> cycleThrough(JobSpec candidate, Collection<JobSpec> registered) {
        Map<String, JobSpec> byName = new HashMap<>();
        registered.forEach(job -> byName.put(job.name(), job));
        return cycleThrough(candidate, byName::get);
    }

    /**
     * As {@link #cycleThrough(JobSpec, Collection)}, looking the registered jobs up by name ({@code null} for none): it
     * walks only the candidate's upstream jobs, so its cost does not grow with the size of the registry.
     */
    public static Optional<List<String>> cycleThrough(JobSpec candidate, Function<String, JobSpec> registered) {
        Function<String, List<String>> upstreams = name -> {
            JobSpec job = name.equals(candidate.name()) ? candidate : registered.apply(name);
            return job == null ? List.of() : upstreamsOf(job);
        };
        // A path from the candidate, walking upstream, back to the candidate is the cycle.
        return path(candidate.name(), candidate.name(), upstreams, new LinkedHashSet<>());
    }

    /**
     * A cycle among {@code jobs}, if there is one: the jobs from the first (by name) job on a cycle back to itself.
     * A registry read from files may hold one (each file was valid on its own); the caller leaves a job of it out.
     */
    public static Optional<List<String>> anyCycle(Collection<JobSpec> jobs) {
        Map<String, List<String>> upstreams = new HashMap<>();
        jobs.forEach(job -> upstreams.put(job.name(), upstreamsOf(job)));
        Function<String, List<String>> upstreamsOf = name -> upstreams.getOrDefault(name, List.of());
        return jobs.stream().filter(job -> !job.triggers().after().isEmpty()).map(JobSpec::name).sorted()
                .map(name -> path(name, name, upstreamsOf, new LinkedHashSet<>()))
                .flatMap(Optional::stream).findFirst();
    }

    /** The upstream jobs {@code job} names that are not among {@code names}. */
    public static List<String> unknownUpstreams(JobSpec job, Set<String> names) {
        return upstreamsOf(job).stream().filter(name -> !names.contains(name)).toList();
    }

    private static List<String> upstreamsOf(JobSpec job) {
        return job.triggers().after().stream().map(AfterTrigger::job).distinct().toList();
    }

    private static Optional<List<String>> path(String from, String target, Function<String, List<String>> upstreams,
                                               Set<String> visited) {
        for (String next : upstreams.apply(from)) {
            if (next.equals(target)) {
                var cycle = new ArrayList<String>();
                cycle.add(target);
                cycle.addAll(visited);
                cycle.add(target);
                return Optional.of(cycle);
            }
            if (visited.add(next)) {
                Optional<List<String>> found = path(next, target, upstreams, visited);
                if (found.isPresent()) {
                    return found;
                }
                visited.remove(next);
            }
        }
        return Optional.empty();
    }
}
