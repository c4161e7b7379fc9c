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
    /** An IAM role's ARN: its partition and account say where the machines live ({@link #machineArnPrefix}). */
    private static final Pattern ROLE = Pattern.compile("arn:(aws[a-z-]*):iam::([0-9]{12}):role/.+");

    public StateMachineOptions {
        Objects.requireNonNull(namePrefix, "namePrefix");
        Objects.requireNonNull(roleArn, "roleArn");
        Objects.requireNonNull(compile, "compile");
        if (!PREFIX.matcher(namePrefix).matches()) {
            throw new IllegalArgumentException("namePrefix must be at most 32 letters, digits, '-' or '_', got " + namePrefix);
        }
        if (!ROLE.matcher(roleArn).matches()) {
            throw new IllegalArgumentException("roleArn must be an IAM role ARN (arn:aws:iam::<account>:role/<name>), got '"
                    + roleArn + "'");
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

    /**
     * {@code arn:<partition>:states:<region>:<account>:stateMachine:}: a machine's ARN without its name, so it is
     * described by name in one call. iam:PassRole passes only a role of the caller's own account, so the machines'
     * account is the role's.
     */
    String machineArnPrefix(String region) {
        var role = ROLE.matcher(roleArn);
        if (!role.matches()) {
            throw new IllegalStateException(roleArn);
        }
        return "arn:" + role.group(1) + ":states:" + region + ":" + role.group(2) + ":stateMachine:";
    }

    String nameOf(String job) {
        return namePrefix + job;
    }
}
