package dev.skiff.orchestrator.app;

import dev.skiff.jobs.JobFollowers;
import dev.skiff.jobs.JobSpec;
import dev.skiff.jobs.ValidationResult;
import dev.skiff.jobs.Violation;
import dev.skiff.orchestrator.domain.InvalidRequestException;
import dev.skiff.orchestrator.domain.NotFoundException;
import dev.skiff.orchestrator.domain.SkiffException;
import dev.skiff.orchestrator.port.JobRegistry;
import dev.skiff.orchestrator.port.TaskLauncher;
import java.util.List;
import java.util.Optional;

/**
 * Jobs submitted through the API ({@code PUT /jobs/{name}}, {@code skiff apply}) and removed through it: checks
 * the spec and the caller's team, writes the registry, and reads it back so the catalog (and with it the
 * schedules and event patterns) has the change when the call returns.
 */
public final class JobRegistrar {

    /** The job as the catalog now holds it, and whether it is new. */
    public record Applied(RegisteredJob job, boolean created) {
    }

    private final JobRegistry registry;
    private final JobCatalog catalog;
    private final TeamAuthorizer authorizer;
    private final TaskLauncher launcher;
    private final boolean runsPipelines;

    public JobRegistrar(JobRegistry registry, JobCatalog catalog, TeamAuthorizer authorizer, TaskLauncher launcher) {
        this(registry, catalog, authorizer, launcher, false);
    }

    /** @param runsPipelines whether the runtime runs multi-step jobs ({@link RunnableSpecs#check(String, String, boolean)}) */
    public JobRegistrar(JobRegistry registry, JobCatalog catalog, TeamAuthorizer authorizer, TaskLauncher launcher,
                        boolean runsPipelines) {
        this.runsPipelines = runsPipelines;
        this.registry = registry;
        this.catalog = catalog;
        this.authorizer = authorizer;
        this.launcher = launcher;
    }

    /** Checks and stores {@code text} (YAML or JSON) as job {@code name}. A team may neither apply another team's spec nor replace its job. */
    public Applied apply(Caller caller, String name, String text) {
        ValidationResult result = RunnableSpecs.check(name, text, runsPipelines);
        if (!result.valid()) {
            List<String> problems = result.violations().stream().map(Violation::toString).toList();
            throw new InvalidRequestException("the job spec has " + problems.size()
                    + (problems.size() == 1 ? " problem" : " problems") + "; nothing was changed", problems);
        }
        JobSpec spec = result.spec().orElseThrow();
        if (!spec.name().equals(name)) {
            throw new InvalidRequestException("the spec's name must be the job name in the path", List.of(
                    name + ": name: " + spec.name() + " must equal the job name in the path, " + name));
        }
        authorizer.requireOwnSpec(caller, name, spec.owner());
        List<String> unlaunchable = launcher.problemsWith(spec);
        if (!unlaunchable.isEmpty()) {
            throw new InvalidRequestException("the job could not start with this deployment's launcher; nothing was changed",
                    unlaunchable);
        }
        Optional<JobSpec> before = catalog.find(name);
        before.ifPresent(old -> authorizer.requireOwner(caller, name, old.owner(), "replace"));
        requireNoCycle(spec);
        registry.put(name, text);
        registry.reload();
        RegisteredJob now = catalog.snapshot().jobs().get(name);
        if (now == null) {
            throw new SkiffException("job " + name + " was written to " + registry.location()
                    + " but did not load; GET /jobs lists why");
        }
        return new Applied(now, before.isEmpty());
    }

    /** A job that would follow itself through others would start runs for ever, each end starting the next. */
    private void requireNoCycle(JobSpec spec) {
        var registered = catalog.snapshot().jobs();
        JobFollowers.cycleThrough(spec, name -> {
            RegisteredJob job = registered.get(name);
            return job == null ? null : job.spec();
        }).ifPresent(cycle -> {
            var steps = new java.util.ArrayList<String>();
            for (int i = 0; i + 1 < cycle.size(); i++) {
                steps.add(cycle.get(i) + " runs after " + cycle.get(i + 1));
            }
            throw new InvalidRequestException("the job's triggers.after would close a cycle between jobs; nothing was changed",
                    List.of(spec.name() + ": triggers.after: closes a cycle: " + String.join(", ", steps)
                            + " (each end would start the next run, for ever)"));
        });
    }

    /** Removes job {@code name} from the registry; its schedules and patterns go with it. */
    public void delete(Caller caller, String name) {
        JobSpec spec = catalog.find(name).orElseThrow(() -> NotFoundException.job(name));
        authorizer.requireOwner(caller, name, spec.owner(), "delete");
        if (!registry.delete(name)) {
            throw NotFoundException.job(name);
        }
        registry.reload();
    }
}
