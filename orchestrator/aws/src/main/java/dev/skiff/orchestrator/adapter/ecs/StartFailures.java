package dev.skiff.orchestrator.adapter.ecs;

import dev.skiff.workflows.StepOutcome;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import software.amazon.awssdk.awscore.exception.AwsServiceException;

/**
 * Why a task never ran the job's code, as a step outcome: capacity, a passing fault worth retrying, or
 * the job's own fault (an image that does not exist, a secret it may not read) that no retry fixes.
 * The reason ECS gave is always kept.
 */
final class StartFailures {

    /** DESIGN.md: RunTask's {@code failures[].reason} on Spot when Fargate has no capacity. */
    static final String CAPACITY_UNAVAILABLE = "capacity is unavailable";

    /** Faults of the moment: network, registries' rate limits, ENI provisioning, ECS itself. */
    private static final List<String> PASSING = List.of("timeout", "timed out", "deadline exceeded", "toomanyrequests",
            "too many requests", "rate exceeded", "connection reset", "network interface", "internalerror",
            "internal error", "service unavailable", "throttl", "limit exceeded");

    /** Faults of the job: it names an image, command, secret or parameter that cannot work. */
    private static final List<String> JOBS_OWN = List.of("cannotpullcontainererror", "cannotstartcontainererror",
            "invalidparameter", "resourcenotfoundexception", "accessdenied", "not authorized", "does not exist",
            "manifest unknown", "not found", "executable file not found");

    /** RunTask errors that repeating the same call can never fix. */
    private static final Set<String> REJECTED_CALLS = Set.of("InvalidParameterException", "AccessDeniedException",
            "ClusterNotFoundException", "PlatformUnknownException", "PlatformTaskDefinitionIncompatibilityException",
            "UnsupportedFeatureException", "BlockedException");

    private StartFailures() {
    }

    static boolean isCapacityShortage(String reason) {
        return reason != null && reason.toLowerCase(Locale.ROOT).contains(CAPACITY_UNAVAILABLE);
    }

    /** A RunTask {@code failures[].reason}, or a stopped task's stoppedReason when it failed to start. */
    static StepOutcome classify(String reason) {
        String text = reason == null || reason.isBlank() ? "the task failed to start (ECS gave no reason)" : reason;
        if (isCapacityShortage(text)) {
            return new StepOutcome.CapacityUnavailable(text);
        }
        String lower = text.toLowerCase(Locale.ROOT);
        if (PASSING.stream().anyMatch(lower::contains)) {
            return new StepOutcome.StartFailed(text, true);
        }
        return new StepOutcome.StartFailed(text, JOBS_OWN.stream().noneMatch(lower::contains));
    }

    /** An error answer to a RunTask or RegisterTaskDefinition call that is neither throttling nor a server fault. */
    static StepOutcome ofRejectedCall(AwsServiceException e) {
        String code = e.awsErrorDetails() == null ? "" : e.awsErrorDetails().errorCode();
        String message = e.awsErrorDetails() == null ? e.getMessage() : e.awsErrorDetails().errorMessage();
        String reason = code + ": " + message;
        if (REJECTED_CALLS.contains(code)) {
            return new StepOutcome.StartFailed(reason, false);
        }
        return classify(reason);
    }
}
