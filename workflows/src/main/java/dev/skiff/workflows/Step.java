package dev.skiff.workflows;

import dev.skiff.jobs.ForEach;
import dev.skiff.jobs.RetryPolicy;
import dev.skiff.jobs.StepSpec;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One unit of work in a {@link Workflow}: a container launch (or one per item) that starts once every step it depends
 * on has succeeded. Its name is the ASL state name and the {@code step} the orchestrator receives.
 *
 * @param timeout one attempt's limit, the step's own or the job's
 * @param retries the step's own retry policy or the job's
 * @param forEach present when the step runs once per item
 */
record Step(String name, List<String> dependsOn, Duration timeout, RetryPolicy retries, Optional<ForEach> forEach) {

    /** Safe as an ASL state name and in JSONPath, and never one of the compiler's own state names. */
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]{0,63}");

    Step {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException(
                    "step name must start with a lowercase letter and be 1-64 characters of [a-z0-9-], got " + name);
        }
        dependsOn = List.copyOf(dependsOn);
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(retries, "retries");
        Objects.requireNonNull(forEach, "forEach");
    }

    static Step of(StepSpec spec) {
        return new Step(spec.name(), spec.dependsOn(), spec.timeout(), spec.retries(), spec.forEach());
    }
}
