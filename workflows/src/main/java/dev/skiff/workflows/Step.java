package dev.skiff.workflows;

import java.util.List;
import java.util.regex.Pattern;

/**
 * One unit of work in a {@link Workflow}: a container launch that starts once every step it depends
 * on has succeeded. Its name is the ASL state name and the {@code step} the orchestrator receives.
 */
record Step(String name, List<String> dependsOn) {

    /** Safe as an ASL state name and in JSONPath, and never one of the compiler's own state names. */
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]{0,63}");

    Step {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException(
                    "step name must start with a lowercase letter and be 1-64 characters of [a-z0-9-], got " + name);
        }
        dependsOn = List.copyOf(dependsOn);
    }

    static Step root(String name) {
        return new Step(name, List.of());
    }
}
