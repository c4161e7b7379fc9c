package dev.skiff.workflows;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.jobs.FailureKind;
import dev.skiff.jobs.RetryPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Turns a {@link RetryPolicy} into an ASL Retry array. Two ASL rules shape it: ErrorEquals matches
 * names exactly (only States.ALL and States.TaskFailed are wildcards), and each retrier counts its own
 * retries. So every retried name goes into a single retrier, which keeps the total at the policy's
 * maxAttempts whatever mix of failures occurs.
 *
 * <p>A lost heartbeat is {@code States.HeartbeatTimeout} on AWS but {@code States.Timeout} on moto. Pipeline steps
 * ({@link LostHeartbeat#BOTH_NAMES}) retry a lost task under both names, valid on both engines; this also retries
 * Step Functions' own TimeoutSeconds backstop, which only fires when the orchestrator lost track of the task.
 * Single-step jobs keep the output they had before pipelines ({@link LostHeartbeat#HEARTBEAT_TIMEOUT_ONLY}), so
 * their deployed state machines do not change.
 */
final class Retriers {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    /** Which names a retried lost task is matched by. */
    enum LostHeartbeat { HEARTBEAT_TIMEOUT_ONLY, BOTH_NAMES }

    private Retriers() {
    }

    /** {@link #of(RetryPolicy, LostHeartbeat)} as single-step jobs always compiled it. */
    static Optional<ArrayNode> of(RetryPolicy policy) {
        return of(policy, LostHeartbeat.HEARTBEAT_TIMEOUT_ONLY);
    }

    /** The Retry array, or empty when the policy retries nothing (ASL then fails the step at once). */
    static Optional<ArrayNode> of(RetryPolicy policy, LostHeartbeat lost) {
        boolean timeoutMeansLost = lost == LostHeartbeat.BOTH_NAMES && policy.retryOn().contains(FailureKind.LOST);
        int retries = RetryDelays.retries(policy);
        if (retries == 0 || policy.retryOn().isEmpty()) {
            return Optional.empty();
        }
        var retry = JSON.arrayNode();
        if (retriesAnyExitCode(policy)) {
            // States.TaskFailed is the only way to say "any exit code", but it matches every Skiff
            // error too. The first matching retrier wins, so a MaxAttempts 0 retrier placed first
            // keeps the errors the policy does not retry from reaching it.
            retry.add(neverRetried(policy, timeoutMeansLost));
            retry.add(retrier(policy, withTimeoutIf(timeoutMeansLost, anyExitCodeNames(policy))));
        } else {
            List<String> names = withTimeoutIf(timeoutMeansLost, explicitNames(policy));
            if (names.isEmpty()) {
                return Optional.empty();
            }
            retry.add(retrier(policy, names));
        }
        return Optional.of(retry);
    }

    private static boolean retriesAnyExitCode(RetryPolicy policy) {
        return policy.retryOn().contains(FailureKind.EXIT_CODE) && policy.exitCodes().isEmpty();
    }

    /** Every kind not retried, plus the errors no policy may retry; in enum order so output is stable. */
    private static ObjectNode neverRetried(RetryPolicy policy, boolean timeoutMeansLost) {
        var names = new ArrayList<String>();
        for (FailureKind kind : FailureKind.values()) {
            if (kind != FailureKind.EXIT_CODE && !policy.retryOn().contains(kind)) {
                names.addAll(SkiffErrors.errorNamesFor(kind));
            }
        }
        if (timeoutMeansLost) {
            // The first matching retrier wins: here States.Timeout would keep a lost heartbeat on moto from its retry.
            names.remove(SkiffErrors.STATES_TIMEOUT);
        }
        names.add(SkiffErrors.START_REJECTED);
        names.add(SkiffErrors.CANCELLED);
        var node = JSON.objectNode();
        node.set("ErrorEquals", strings(names));
        node.put("MaxAttempts", 0);
        return node;
    }

    /**
     * States.TaskFailed plus the States.* names of retried kinds: it does not match States.Timeout,
     * and naming States.HeartbeatTimeout explicitly keeps lost tasks retried however the wildcard treats it.
     */
    private static List<String> anyExitCodeNames(RetryPolicy policy) {
        var names = new ArrayList<String>();
        names.add(SkiffErrors.STATES_TASK_FAILED);
        for (FailureKind kind : FailureKind.values()) {
            if (kind != FailureKind.EXIT_CODE && policy.retryOn().contains(kind)) {
                SkiffErrors.errorNamesFor(kind).stream().filter(name -> name.startsWith("States.")).forEach(names::add);
            }
        }
        return names;
    }

    private static List<String> explicitNames(RetryPolicy policy) {
        var names = new ArrayList<String>();
        for (FailureKind kind : FailureKind.values()) {
            if (!policy.retryOn().contains(kind)) {
                continue;
            }
            if (kind == FailureKind.EXIT_CODE) {
                policy.exitCodes().stream().sorted().map(SkiffErrors::exitCode).forEach(names::add);
            } else {
                names.addAll(SkiffErrors.errorNamesFor(kind));
            }
        }
        return names;
    }

    /** The names, plus States.Timeout after them when it may mean a lost heartbeat and is not there yet. */
    private static List<String> withTimeoutIf(boolean timeoutMeansLost, List<String> names) {
        if (!timeoutMeansLost || names.contains(SkiffErrors.STATES_TIMEOUT)) {
            return names;
        }
        var all = new ArrayList<String>(names);
        all.add(SkiffErrors.STATES_TIMEOUT);
        return all;
    }

    private static ObjectNode retrier(RetryPolicy policy, List<String> names) {
        var node = JSON.objectNode();
        node.set("ErrorEquals", strings(names));
        node.put("IntervalSeconds", RetryDelays.intervalSeconds(policy));
        node.put("MaxAttempts", RetryDelays.retries(policy));
        node.put("BackoffRate", policy.backoffRate());
        node.put("MaxDelaySeconds", RetryDelays.maxDelaySeconds(policy));
        return node;
    }

    private static ArrayNode strings(List<String> values) {
        var array = JSON.arrayNode();
        values.forEach(array::add);
        return array;
    }
}
