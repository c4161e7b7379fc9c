package dev.skiff.workflows;

import dev.skiff.jobs.FailureKind;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;

/**
 * Error names a step can fail with. The orchestrator reports the {@code Skiff.*} names through
 * SendTaskFailure; Step Functions raises the {@code States.*} names itself. The compiled Retry
 * blocks and the embedded engine both classify failures by these names, so they live in one place.
 */
public final class SkiffErrors {

    /** Prefix of the per-exit-code names; ASL matches error names exactly, so each code is its own name. */
    public static final String EXIT_CODE_PREFIX = "Skiff.ExitCode.";
    /** The attempt ran past the job's timeout and the orchestrator stopped it. */
    public static final String TIMEOUT = "Skiff.Timeout";
    /** The task never ran the job's code, for a reason that may pass (capacity, image pull, network). */
    public static final String START_FAILED = "Skiff.StartFailed";
    /**
     * The task could not start because the job itself is at fault (bad image, invalid parameters).
     * Never retried: another attempt would fail the same way.
     */
    public static final String START_REJECTED = "Skiff.StartRejected";
    /** The task vanished or its outcome could not be known. */
    public static final String LOST = "Skiff.Lost";
    /** Someone cancelled the run. Never retried, whatever the policy says. */
    public static final String CANCELLED = "Skiff.Cancelled";

    /** More of a forEach step's items failed (after their retries) than its toleratedFailures allows. */
    public static final String TOO_MANY_FAILED_ITEMS = "Skiff.TooManyFailedItems";

    /** A reference ({@code $.parameters...}, {@code $.steps.<name>.output...}) names nothing: the step cannot start. */
    public static final String BAD_REFERENCE = "Skiff.BadReference";
    /** A forEach's items are more than a fan-out takes (count or bytes). */
    public static final String TOO_MANY_ITEMS = "Skiff.TooManyItems";
    /** The task's output is not JSON, or larger than a step's output may be. */
    public static final String BAD_OUTPUT = "Skiff.BadOutput";

    /** Step Functions' TimeoutSeconds elapsed: the same failure as {@link #TIMEOUT}, seen from the other side. */
    public static final String STATES_TIMEOUT = "States.Timeout";
    /** No heartbeat within HeartbeatSeconds: the orchestrator lost track of the task, so it counts as {@link #LOST}. */
    public static final String STATES_HEARTBEAT_TIMEOUT = "States.HeartbeatTimeout";
    /** ASL wildcard for every error except States.Timeout (and the terminal States.* errors). */
    public static final String STATES_TASK_FAILED = "States.TaskFailed";
    /** ASL wildcard for every error; must appear alone in ErrorEquals. */
    public static final String STATES_ALL = "States.ALL";

    /** Highest exit code a process can report on Linux; ECS reports the container's code as is. */
    static final int MAX_EXIT_CODE = 255;

    private SkiffErrors() {
    }

    /**
     * The error name for a non-zero exit code.
     *
     * @throws IllegalArgumentException for 0 (success, not an error) or a code outside 1-255
     */
    public static String exitCode(int code) {
        if (code < 1 || code > MAX_EXIT_CODE) {
            throw new IllegalArgumentException("exit code must be 1-" + MAX_EXIT_CODE + " to be an error, got " + code);
        }
        return EXIT_CODE_PREFIX + code;
    }

    /**
     * Every error name that means this kind of failure, the Skiff name first. For
     * {@link FailureKind#EXIT_CODE} that is one name per code, 1 to 255.
     */
    public static List<String> errorNamesFor(FailureKind kind) {
        return switch (kind) {
            case EXIT_CODE -> IntStream.rangeClosed(1, MAX_EXIT_CODE).mapToObj(SkiffErrors::exitCode).toList();
            case TIMEOUT -> List.of(TIMEOUT, STATES_TIMEOUT);
            case LOST -> List.of(LOST, STATES_HEARTBEAT_TIMEOUT);
            case START_FAILURE -> List.of(START_FAILED);
        };
    }

    /** The kind of failure an error name stands for, or empty for names no retry policy can name (cancel, reject). */
    public static Optional<FailureKind> kindOf(String errorName) {
        if (errorName.startsWith(EXIT_CODE_PREFIX)
                && errorName.length() > EXIT_CODE_PREFIX.length()
                && errorName.substring(EXIT_CODE_PREFIX.length()).chars().allMatch(Character::isDigit)) {
            return Optional.of(FailureKind.EXIT_CODE);
        }
        return switch (errorName) {
            case TIMEOUT, STATES_TIMEOUT -> Optional.of(FailureKind.TIMEOUT);
            case LOST, STATES_HEARTBEAT_TIMEOUT -> Optional.of(FailureKind.LOST);
            case START_FAILED -> Optional.of(FailureKind.START_FAILURE);
            default -> Optional.empty();
        };
    }
}
