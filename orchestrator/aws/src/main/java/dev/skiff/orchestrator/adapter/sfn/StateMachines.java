package dev.skiff.orchestrator.adapter.sfn;

import dev.skiff.jobs.JobSpec;
import dev.skiff.orchestrator.adapter.AwsFailures;
import dev.skiff.orchestrator.domain.UpstreamFailedException;
import dev.skiff.workflows.WorkflowCompiler;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import org.jboss.logging.Logger;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeStateMachineResponse;
import software.amazon.awssdk.services.sfn.model.StateMachineAlreadyExistsException;
import software.amazon.awssdk.services.sfn.model.StateMachineDoesNotExistException;
import software.amazon.awssdk.services.sfn.model.Tag;

/**
 * One state machine per job, named {@code <prefix><job>} and compiled from its spec. A job's state machine is
 * ensured on demand: before its run starts ({@link #ensure}), or ahead of that by the {@link StateMachineWarmer}.
 * Registering the catalog costs no call, since at 10,000 jobs a DescribeStateMachine or CreateStateMachine each
 * (throttled at a few per second by AWS) held a restart for many minutes. A job whose compiled definition this
 * replica knows its machine holds costs no call; one it does not know costs one DescribeStateMachine, and a
 * CreateStateMachine or UpdateStateMachine only when the machine is missing or holds another definition (or role).
 * Each change publishes a version, so every execution names the definition it ran.
 */
public final class StateMachines {

    /** The tag every Skiff state machine carries: the job it runs. */
    public static final String JOB_TAG = "skiff:job";

    private static final Logger LOG = Logger.getLogger(StateMachines.class);
    /** How long a listing of every machine answers "not there" for a job it did not hold. */
    static final java.time.Duration LISTING_FRESH = java.time.Duration.ofSeconds(30);

    /** What {@link #register} did. */
    public enum Change {
        CREATED, UPDATED,
        /** Step Functions was asked and already held the definition. */
        UNCHANGED,
        /** This replica knew the machine holds the definition: no call was made. */
        KNOWN;

        /** Whether this change made a Step Functions call. */
        public boolean called() {
            return this != KNOWN;
        }
    }

    private final SfnClient sfn;
    private final StateMachineOptions options;
    private final Map<String, String> arnsByName = new ConcurrentHashMap<>();
    /** The definition each job's state machine is known to hold, so an unchanged job costs no calls. */
    private final Map<String, String> definitionsByJob = new ConcurrentHashMap<>();
    /** One lock per job: two starts of one job check it once, while other jobs' starts go on. */
    private final Map<String, Object> locks = new ConcurrentHashMap<>();
    /** {@code arn:<partition>:states:<region>:<account>:stateMachine:}, so a machine is found by name in one call. */
    private volatile String arnPrefix;
    /** When every machine was last listed ({@link #all}); 0 before. */
    private volatile long listedAt;
    private final Object listing = new Object();

    public StateMachines(SfnClient sfn, StateMachineOptions options) {
        this.sfn = sfn;
        this.options = options;
        this.arnPrefix = options.machineArnPrefix(sfn.serviceClientConfiguration().region().id());
    }

    /**
     * Makes sure the job's state machine holds the spec's current definition, and gives its ARN.
     *
     * @throws UpstreamFailedException naming the job and its machine when Step Functions refused or could not be reached
     */
    public String ensure(JobSpec spec) {
        try {
            register(spec);
        } catch (SdkException e) {
            throw new UpstreamFailedException("job " + spec.name() + ": its state machine " + options.nameOf(spec.name())
                    + " could not be created or updated, so the run was not started: " + e.getMessage(),
                    AwsFailures.passing(e), e);
        }
        return arnsByName.get(options.nameOf(spec.name()));
    }

    /** Whether this replica knows the job's machine holds the spec's current definition (then {@link #ensure} costs no call). */
    public boolean isCurrent(JobSpec spec) {
        return WorkflowCompiler.compile(spec, options.compile()).equals(definitionsByJob.get(spec.name()));
    }

    /** Creates or updates the job's state machine so it runs the spec's current definition. */
    public Change register(JobSpec spec) {
        return unlessKnown(spec, (name, definition) -> confirmed(spec, definition, createOrUpdate(spec, name, definition)));
    }

    /**
     * Creates the machine of a job that a listing of every machine ({@link #all}) lacked, without describing it first:
     * the DescribeStateMachine that answers "no such machine" was a third of the warmer's CPU per machine. The
     * definition is not taken as confirmed, though: another replica may have made the machine since the listing with
     * another role, which CreateStateMachine does not report (it answers with the existing machine when the definition
     * is the same; moto 5.2.5 even when it is not), so the job's next start describes it once, as after a restart.
     */
    public Change createListedMissing(JobSpec spec) {
        return unlessKnown(spec, (name, definition) -> {
            try {
                create(spec, name, definition);
                return Change.CREATED;
            } catch (StateMachineAlreadyExistsException raced) { // made since the listing, with another definition
                return confirmed(spec, definition, createOrUpdate(spec, name, definition));
            }
        });
    }

    /**
     * {@link Change#KNOWN} when this replica knows the machine holds the spec's definition (compiled once here),
     * else what {@code make} (given the machine's name and the definition) did, under the job's lock.
     */
    private Change unlessKnown(JobSpec spec, BiFunction<String, String, Change> make) {
        String definition = WorkflowCompiler.compile(spec, options.compile());
        if (definition.equals(definitionsByJob.get(spec.name()))) {
            return Change.KNOWN;
        }
        synchronized (locks.computeIfAbsent(spec.name(), job -> new Object())) {
            if (definition.equals(definitionsByJob.get(spec.name()))) {
                return Change.KNOWN; // the other start of the same job did it
            }
            return make.apply(options.nameOf(spec.name()), definition);
        }
    }

    /** Notes that the job's machine holds the definition, so its next starts cost no call. */
    private Change confirmed(JobSpec spec, String definition, Change change) {
        definitionsByJob.put(spec.name(), definition);
        return change;
    }

    private void create(JobSpec spec, String name, String definition) {
        String created = sfn.createStateMachine(r -> r.name(name).definition(definition).roleArn(options.roleArn())
                .publish(true).versionDescription("Skiff job " + spec.name())
                .tags(Tag.builder().key(JOB_TAG).value(spec.name()).build())).stateMachineArn();
        remember(name, created);
        LOG.infof("job %s: created state machine %s", spec.name(), created);
    }

    private Change createOrUpdate(JobSpec spec, String name, String definition) {
        // Described first even when a listing lacked it: another replica may have made it since, and a create of a
        // name that exists is not refused by every Step Functions (moto 5.2.5 answers it with the existing machine).
        Optional<DescribeStateMachineResponse> current = describe(name);
        if (current.isEmpty()) {
            try {
                create(spec, name, definition);
                return Change.CREATED;
            } catch (StateMachineAlreadyExistsException raced) { // another replica created it with another definition
                current = describe(name);
                if (current.isEmpty()) {
                    throw raced;
                }
            }
        }
        if (definition.equals(current.get().definition()) && options.roleArn().equals(current.get().roleArn())) {
            return Change.UNCHANGED;
        }
        String machine = current.get().stateMachineArn();
        sfn.updateStateMachine(r -> r.stateMachineArn(machine).definition(definition).roleArn(options.roleArn())
                .publish(true).versionDescription("Skiff job " + spec.name()));
        LOG.infof("job %s: updated state machine %s and published a version", spec.name(), machine);
        return Change.UPDATED;
    }

    /** The ARN of the job's state machine, or empty when it does not exist: at most one DescribeStateMachine. */
    public Optional<String> arnOf(String job) {
        String name = options.nameOf(job);
        String known = arnsByName.get(name);
        return known != null ? Optional.of(known) : describe(name).map(DescribeStateMachineResponse::stateMachineArn);
    }

    /**
     * As {@link #arnOf}, for a caller that asks of many jobs at once and can take a machine made in the last moments
     * as not there yet (the runs of every scheduled job, looked for at start): the first miss lists every machine
     * (1,000 a call) and misses within {@link #LISTING_FRESH} of a listing are answered from it, where one
     * DescribeStateMachine per job at 60,000 scheduled jobs held the start for many minutes.
     */
    public Optional<String> listedArnOf(String job) {
        String known = arnsByName.get(options.nameOf(job));
        if (known != null) {
            return Optional.of(known);
        }
        synchronized (listing) {
            if (listedAt == 0) {
                all();
                return Optional.ofNullable(arnsByName.get(options.nameOf(job)));
            }
        }
        return System.nanoTime() - listedAt < LISTING_FRESH.toNanos() ? Optional.empty() : arnOf(job);
    }

    /** The machine of this name as Step Functions has it (remembering its ARN), or empty when there is none. */
    private Optional<DescribeStateMachineResponse> describe(String name) {
        String arn = arnsByName.getOrDefault(name, arnPrefix + name);
        try {
            DescribeStateMachineResponse found = sfn.describeStateMachine(r -> r.stateMachineArn(arn));
            remember(name, found.stateMachineArn());
            return Optional.of(found);
        } catch (StateMachineDoesNotExistException e) {
            return Optional.empty();
        }
    }

    /** Every Skiff state machine in the account and region, by job, whoever created it. */
    Map<String, String> all() {
        synchronized (listing) { // two listings at once (the warmer's and a catch-up's at start) would list twice
            var byJob = new TreeMap<String, String>();
            sfn.listStateMachinesPaginator(r -> r.maxResults(1000)).stateMachines().stream()
                    .filter(m -> m.name().startsWith(options.namePrefix()))
                    .forEach(m -> byJob.put(m.name().substring(options.namePrefix().length()), m.stateMachineArn()));
            byJob.forEach((job, arn) -> remember(options.nameOf(job), arn));
            listedAt = System.nanoTime();
            return byJob;
        }
    }

    /** Remembers a machine's ARN, and learns from it where the machines live should it differ from the guess. */
    private void remember(String name, String arn) {
        arnsByName.put(name, arn);
        if (arn.endsWith(":stateMachine:" + name) && !arn.startsWith(arnPrefix)) {
            arnPrefix = arn.substring(0, arn.length() - name.length());
        }
    }
}
