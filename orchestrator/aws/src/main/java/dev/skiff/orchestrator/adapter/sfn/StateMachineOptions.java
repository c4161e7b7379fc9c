package dev.skiff.orchestrator.adapter.sfn;

import dev.skiff.workflows.CompileOptions;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * How jobs become state machines: their names, the role Step Functions runs them as, and the compiler's
 * settings (the dispatch queue URL above all).
 *
 * @param namePrefix the state machine of job {@code j} is {@code <namePrefix>j}
 * @param roleArn    the role every state machine runs as (it needs {@code sqs:SendMessage} on the dispatch queue)
 * @param compile    the compiler's options, with the real dispatch queue URL
 */
public record StateMachineOptions(String namePrefix, String roleArn, CompileOptions compile) {

    /** The default prefix: job {@code nightly} runs as state machine {@code skiff-nightly}. */
    public static final String DEFAULT_NAME_PREFIX = "skiff-";
    /** A prefix plus a 48-character job name must stay within Step Functions' 80 characters for a name. */
    private static final Pattern PREFIX = Pattern.compile("[A-Za-z0-9_-]{0,32}");

    public StateMachineOptions {
        Objects.requireNonNull(namePrefix, "namePrefix");
        Objects.requireNonNull(roleArn, "roleArn");
        Objects.requireNonNull(compile, "compile");
        if (!PREFIX.matcher(namePrefix).matches()) {
            throw new IllegalArgumentException("namePrefix must be at most 32 letters, digits, '-' or '_', got " + namePrefix);
        }
        if (roleArn.isBlank()) {
            throw new IllegalArgumentException("roleArn must not be blank");
        }
    }

    public static StateMachineOptions of(String roleArn, String dispatchQueueUrl) {
        return new StateMachineOptions(DEFAULT_NAME_PREFIX, roleArn, CompileOptions.defaults().withDispatchQueueUrl(dispatchQueueUrl));
    }

    public StateMachineOptions withNamePrefix(String prefix) {
        return new StateMachineOptions(prefix, roleArn, compile);
    }

    public StateMachineOptions withCompileOptions(CompileOptions options) {
        return new StateMachineOptions(namePrefix, roleArn, options);
    }

    String nameOf(String job) {
        return namePrefix + job;
    }
}
