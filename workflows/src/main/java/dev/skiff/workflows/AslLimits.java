package dev.skiff.workflows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.jobs.ForEach;
import dev.skiff.jobs.JobSpec;
import dev.skiff.jobs.RetryPolicy;
import dev.skiff.jobs.StepSpec;
import dev.skiff.jobs.Violation;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The limits Step Functions puts on the numbers a job spec turns into. */
final class AslLimits {

    /** ASL's upper bound for TimeoutSeconds and HeartbeatSeconds. */
    static final long MAX_TIMEOUT_SECONDS = 99_999_999L;
    /** ASL's longest state name. */
    static final int MAX_STATE_NAME = 80;
    /** Step Functions' largest definition (UTF-8 bytes); it bounds the number of states, which has no quota of its own. */
    static final int MAX_DEFINITION_BYTES = 1_048_576;
    /** The most items an inline Map runs at once on AWS; the spec allows 1 to this. */
    static final int MAX_MAP_CONCURRENCY = 40;

    private AslLimits() {
    }

    /**
     * The task state's TimeoutSeconds: the job's timeout plus the launch allowance. Step Functions
     * starts this clock when the launch request is sent, not when the job's code starts, so without
     * the allowance a slow image pull or a wait for Spot capacity would eat into the job's own time.
     * The orchestrator enforces the job's timeout itself (Skiff.Timeout); this is the backstop for
     * when it cannot.
     */
    static long timeoutSeconds(Duration timeout, CompileOptions options) {
        long stepSeconds = timeout.getSeconds() + (timeout.getNano() > 0 ? 1 : 0);
        return stepSeconds + options.launchAllowance().getSeconds();
    }

    /**
     * Each step's numbers, named by the step's path ({@code steps[i].timeout}); a job without steps is named by the
     * job's own fields ({@code timeout}), as before pipelines.
     */
    static List<Violation> violations(JobSpec spec, CompileOptions options) {
        String source = "job " + spec.name();
        var violations = new ArrayList<Violation>();
        for (int i = 0; i < spec.steps().size(); i++) {
            StepSpec step = spec.steps().get(i);
            String prefix = spec.isPipeline() ? "steps[" + i + "]." : "";
            violations.addAll(timeoutViolations(source, prefix, step.timeout(), options));
            violations.addAll(retryViolations(source, prefix, step.retries()));
            step.forEach().ifPresent(forEach -> violations.addAll(forEachViolations(source, prefix, forEach)));
        }
        return List.copyOf(violations);
    }

    /** What keeps a compiled definition from being accepted whole: its state names and its size. */
    static List<Violation> definitionViolations(String source, ObjectNode definition) {
        var violations = new ArrayList<Violation>();
        collectNameViolations(source, definition, violations);
        int bytes = AslJson.write(definition).getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_DEFINITION_BYTES) {
            violations.add(new Violation(source, "steps", bytes + " bytes of ASL",
                    "must compile to at most " + MAX_DEFINITION_BYTES + " bytes (Step Functions' definition quota)"));
        }
        return List.copyOf(violations);
    }

    private static void collectNameViolations(String source, JsonNode machine, List<Violation> violations) {
        machine.path("States").fields().forEachRemaining(entry -> {
            if (entry.getKey().length() > MAX_STATE_NAME) {
                violations.add(new Violation(source, "steps", entry.getKey(),
                        "makes an ASL state name longer than " + MAX_STATE_NAME + " characters"));
            }
            entry.getValue().path("Branches").forEach(branch -> collectNameViolations(source, branch, violations));
            if (entry.getValue().has("ItemProcessor")) {
                collectNameViolations(source, entry.getValue().get("ItemProcessor"), violations);
            }
        });
    }

    private static List<Violation> timeoutViolations(String source, String prefix, Duration timeout,
                                                     CompileOptions options) {
        String path = prefix + "timeout";
        if (timeout.isNegative() || timeout.isZero()) {
            return List.of(new Violation(source, path, timeout.toString(), "must be positive"));
        } else if (timeoutSeconds(timeout, options) > MAX_TIMEOUT_SECONDS) {
            return List.of(new Violation(source, path, timeout.toString(),
                    "plus the launch allowance exceeds Step Functions' TimeoutSeconds limit of " + MAX_TIMEOUT_SECONDS));
        } else if (options.heartbeat().getSeconds() >= timeoutSeconds(timeout, options)) {
            return List.of(new Violation(source, path, timeout.toString(),
                    "plus the launch allowance must be longer than the heartbeat of "
                            + options.heartbeat().getSeconds() + " s (Step Functions rejects HeartbeatSeconds >= TimeoutSeconds)"));
        }
        return List.of();
    }

    private static List<Violation> forEachViolations(String source, String prefix, ForEach forEach) {
        if (forEach.maxConcurrency() < 1 || forEach.maxConcurrency() > MAX_MAP_CONCURRENCY) {
            return List.of(new Violation(source, prefix + "forEach.maxConcurrency",
                    String.valueOf(forEach.maxConcurrency()), "must be 1-" + MAX_MAP_CONCURRENCY
                            + " (an inline Map's MaxConcurrency; 0 would mean unlimited)"));
        }
        return List.of();
    }

    private static List<Violation> retryViolations(String source, String prefix, RetryPolicy policy) {
        var violations = new ArrayList<Violation>();
        if (policy.maxAttempts() < 1 || policy.maxAttempts() - 1L > RetryDelays.MAX_RETRIES) {
            violations.add(new Violation(source, prefix + "retries.maxAttempts", String.valueOf(policy.maxAttempts()),
                    "must be 1-" + (RetryDelays.MAX_RETRIES + 1L)));
        }
        if (!(policy.backoffRate() >= 1.0) || Double.isInfinite(policy.backoffRate())) {
            violations.add(new Violation(source, prefix + "retries.backoffRate", String.valueOf(policy.backoffRate()),
                    "must be a finite number of at least 1.0 (ASL BackoffRate)"));
        }
        if (policy.interval().isNegative() || policy.maxDelay().isNegative()) {
            violations.add(new Violation(source, prefix + "retries", policy.interval() + "/" + policy.maxDelay(),
                    "interval and maxDelay must not be negative"));
        }
        for (int code : policy.exitCodes().stream().sorted().toList()) {
            if (code < 1 || code > SkiffErrors.MAX_EXIT_CODE) {
                violations.add(new Violation(source, prefix + "retries.exitCodes", String.valueOf(code),
                        "must be 1-" + SkiffErrors.MAX_EXIT_CODE + " (0 is success)"));
            }
        }
        return violations;
    }
}
