package dev.skiff.jobs;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One step of a job: a container with everything it needs, the job's fields already filled in where the step gave
 * none. A job without {@code steps} has the single step {@value #MAIN} made of the job's own fields.
 *
 * @param dependsOn  steps that must have succeeded first
 * @param parameters environment variables whose values come from the run (or literal text)
 * @param forEach    present when the step runs once per item
 */
public record StepSpec(
        String name,
        List<String> dependsOn,
        String image,
        List<String> command,
        List<String> args,
        Map<String, String> environment,
        Map<String, String> secrets,
        Resources resources,
        Capacity capacity,
        Duration timeout,
        RetryPolicy retries,
        Map<String, StepValue> parameters,
        Optional<ForEach> forEach) {

    /** The one step of a job without steps. */
    public static final String MAIN = "main";

    public StepSpec {
        dependsOn = List.copyOf(dependsOn);
        image = SharedValues.text(image);
        command = SharedValues.texts(command);
        args = SharedValues.texts(args);
        environment = SharedValues.values(environment);
        secrets = SharedValues.values(secrets);
        resources = SharedValues.common(resources, SpecDefaults.RESOURCES);
        retries = SharedValues.common(retries, SpecDefaults.RETRIES);
        timeout = SharedValues.common(timeout, SpecDefaults.TIMEOUT);
        parameters = Map.copyOf(parameters);
    }

    /** command followed by args: what actually runs. */
    public List<String> commandLine() {
        var all = new ArrayList<String>(command);
        all.addAll(args);
        return List.copyOf(all);
    }
}
