package dev.skiff.orchestrator.adapter.sfn;

import dev.skiff.jobs.JobSpec;
import dev.skiff.orchestrator.app.JobCatalog;
import dev.skiff.orchestrator.app.RegisteredJob;
import dev.skiff.workflows.WorkflowCompiler;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeStateMachineResponse;
import software.amazon.awssdk.services.sfn.model.StateMachineAlreadyExistsException;
import software.amazon.awssdk.services.sfn.model.StateMachineListItem;
import software.amazon.awssdk.services.sfn.model.Tag;

/**
 * One state machine per job, named {@code <prefix><job>} and compiled from its spec. A job's state machine
 * is created when it is first registered and updated only when its compiled definition (or the role)
 * changed; each change publishes a version, so every execution names the definition it ran.
 */
public final class StateMachines {

    /** The tag every Skiff state machine carries: the job it runs. */
    public static final String JOB_TAG = "skiff:job";

    private static final Logger LOG = Logger.getLogger(StateMachines.class);

    /** What {@link #register} did. */
    public enum Change { CREATED, UPDATED, UNCHANGED }

    private final SfnClient sfn;
    private final StateMachineOptions options;
    private final Map<String, String> arnsByName = new ConcurrentHashMap<>();
    /** The definition each job's state machine is known to hold, so an unchanged catalog costs no calls. */
    private final Map<String, String> definitionsByJob = new ConcurrentHashMap<>();

    public StateMachines(SfnClient sfn, StateMachineOptions options) {
        this.sfn = sfn;
        this.options = options;
    }

    /** Registers every job of the catalog now and again on each change of it. */
    public void follow(JobCatalog catalog) {
        catalog.onChange(snapshot -> registerEach(snapshot.changed().stream().map(snapshot.jobs()::get)
                .filter(java.util.Objects::nonNull).toList()));
        registerAll(catalog.snapshot());
    }

    /** Registers each job; one job that fails is logged and does not keep the others from registering. */
    public void registerAll(JobCatalog.Snapshot snapshot) {
        registerEach(snapshot.jobs().values());
    }

    /** Registers the jobs a change names only: compiling every job's definition per change grew with the catalog. */
    private void registerEach(java.util.Collection<RegisteredJob> jobs) {
        for (RegisteredJob job : jobs) {
            try {
                register(job.spec());
            } catch (RuntimeException e) {
                LOG.errorf(e, "job %s: its state machine could not be created or updated", job.spec().name());
            }
        }
    }

    /** Creates or updates the job's state machine so it runs the spec's current definition. */
    public synchronized Change register(JobSpec spec) {
        String name = options.nameOf(spec.name());
        String definition = WorkflowCompiler.compile(spec, options.compile());
        if (definition.equals(definitionsByJob.get(spec.name()))) {
            return Change.UNCHANGED;
        }
        Change change = createOrUpdate(spec, name, definition);
        definitionsByJob.put(spec.name(), definition);
        return change;
    }

    private Change createOrUpdate(JobSpec spec, String name, String definition) {
        Optional<String> arn = arnOf(spec.name());
        if (arn.isEmpty()) {
            try {
                String created = sfn.createStateMachine(r -> r.name(name).definition(definition).roleArn(options.roleArn())
                        .publish(true).versionDescription("Skiff job " + spec.name())
                        .tags(Tag.builder().key(JOB_TAG).value(spec.name()).build())).stateMachineArn();
                arnsByName.put(name, created);
                LOG.infof("job %s: created state machine %s", spec.name(), created);
                return Change.CREATED;
            } catch (StateMachineAlreadyExistsException raced) { // another replica created it with another definition
                arn = arnOf(spec.name());
                if (arn.isEmpty()) {
                    throw raced;
                }
            }
        }
        String machine = arn.get();
        DescribeStateMachineResponse current = sfn.describeStateMachine(r -> r.stateMachineArn(machine));
        if (definition.equals(current.definition()) && options.roleArn().equals(current.roleArn())) {
            return Change.UNCHANGED;
        }
        sfn.updateStateMachine(r -> r.stateMachineArn(machine).definition(definition).roleArn(options.roleArn())
                .publish(true).versionDescription("Skiff job " + spec.name()));
        LOG.infof("job %s: updated state machine %s and published a version", spec.name(), machine);
        return Change.UPDATED;
    }

    /** The ARN of the job's state machine, or empty when it does not exist. */
    public Optional<String> arnOf(String job) {
        String name = options.nameOf(job);
        String known = arnsByName.get(name);
        if (known != null) {
            return Optional.of(known);
        }
        // Another replica may have created it: look once, then remember.
        Optional<String> found = sfn.listStateMachinesPaginator(r -> r.maxResults(1000)).stateMachines().stream()
                .filter(m -> m.name().equals(name)).map(StateMachineListItem::stateMachineArn).findFirst();
        found.ifPresent(a -> arnsByName.put(name, a));
        return found;
    }

    /** Every Skiff state machine in the account and region, by job, whoever created it. */
    Map<String, String> all() {
        var byJob = new TreeMap<String, String>();
        sfn.listStateMachinesPaginator(r -> r.maxResults(1000)).stateMachines().stream()
                .filter(m -> m.name().startsWith(options.namePrefix()))
                .forEach(m -> byJob.put(m.name().substring(options.namePrefix().length()), m.stateMachineArn()));
        byJob.forEach((job, arn) -> arnsByName.put(options.nameOf(job), arn));
        return byJob;
    }
}
