package dev.skiff.jobs;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A validated job: what to run, with what resources, and what starts it. Instances come from
 * {@link JobSpecs#parse}, so every field already satisfies the rules the validator checks; absent
 * optional fields hold their defaults, never null.
 *
 * @param name         1-48 characters of lowercase letters, digits and '-'; unique per registry
 * @param owner        the team that owns the job (same alphabet as names)
 * @param command      the container command; the process launcher runs it as a child process
 * @param args         appended to command
 * @param environment  plain variables (never secrets)
 * @param secrets      variable name to a Secrets Manager or SSM parameter ARN; never a value
 * @param timeout      the longest one attempt may run
 * @param parameters   declared parameters, in the order of the spec; passed as environment variables
 * @param steps        what runs, in the order of the spec: the job's {@code steps}, each with the job's fields
 *                     filled in where it gave none, or the single step {@value StepSpec#MAIN} made of the job's
 *                     own fields; never empty
 * @param notifications who hears when a run ends, or misses its schedule's deadline
 */
public record JobSpec(
        String name,
        String description,
        String owner,
        String image,
        List<String> command,
        List<String> args,
        Map<String, String> environment,
        Map<String, String> secrets,
        Resources resources,
        Capacity capacity,
        Duration timeout,
        RetryPolicy retries,
        List<Parameter> parameters,
        Map<String, String> tags,
        Triggers triggers,
        List<StepSpec> steps,
        Notifications notifications) {

    public JobSpec {
        owner = SharedValues.text(owner);
        image = SharedValues.text(image);
        command = SharedValues.texts(command);
        args = SharedValues.texts(args);
        environment = SharedValues.values(environment);
        secrets = SharedValues.values(secrets);
        resources = SharedValues.common(resources, SpecDefaults.RESOURCES);
        retries = SharedValues.common(retries, SpecDefaults.RETRIES);
        timeout = SharedValues.common(timeout, SpecDefaults.TIMEOUT);
        parameters = List.copyOf(parameters);
        tags = SharedValues.values(tags);
        steps = List.copyOf(steps);
        if (steps.isEmpty()) {
            throw new IllegalArgumentException("job " + name + " has no steps");
        }
    }

    /** A job of one container: its single step {@value StepSpec#MAIN} is made of the job's own fields. */
    public JobSpec(String name, String description, String owner, String image, List<String> command, List<String> args,
                   Map<String, String> environment, Map<String, String> secrets, Resources resources, Capacity capacity,
                   Duration timeout, RetryPolicy retries, List<Parameter> parameters, Map<String, String> tags,
                   Triggers triggers) {
        this(name, description, owner, image, command, args, environment, secrets, resources, capacity, timeout, retries,
                parameters, tags, triggers, List.of(new StepSpec(StepSpec.MAIN, List.of(), image, command, args,
                        environment, secrets, resources, capacity, timeout, retries, Map.of(), Optional.empty())),
                Notifications.none());
    }

    /** A job without notifications. */
    public JobSpec(String name, String description, String owner, String image, List<String> command, List<String> args,
                   Map<String, String> environment, Map<String, String> secrets, Resources resources, Capacity capacity,
                   Duration timeout, RetryPolicy retries, List<Parameter> parameters, Map<String, String> tags,
                   Triggers triggers, List<StepSpec> steps) {
        this(name, description, owner, image, command, args, environment, secrets, resources, capacity, timeout, retries,
                parameters, tags, triggers, steps, Notifications.none());
    }

    /**
     * True when the job is more than one container made of its own fields: several steps, a step of another name,
     * one run per item, or a step with fields, parameters or dependencies of its own.
     */
    public boolean isPipeline() {
        return !steps.equals(List.of(new StepSpec(StepSpec.MAIN, List.of(), image, command, args, environment, secrets,
                resources, capacity, timeout, retries, Map.of(), Optional.empty())));
    }

    /** The same job with other notifications (the API shows its channels as {@link NotifyChannel#shown()}). */
    public JobSpec withNotifications(Notifications other) {
        return new JobSpec(name, description, owner, image, command, args, environment, secrets, resources, capacity,
                timeout, retries, parameters, tags, triggers, steps, other);
    }

    /** The step of that name. */
    public Optional<StepSpec> step(String stepName) {
        return steps.stream().filter(step -> step.name().equals(stepName)).findFirst();
    }

    /** command followed by args: what actually runs. */
    public List<String> commandLine() {
        var all = new java.util.ArrayList<String>(command);
        all.addAll(args);
        return List.copyOf(all);
    }
}
