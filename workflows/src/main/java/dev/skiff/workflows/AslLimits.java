package dev.skiff.workflows;

import dev.skiff.jobs.JobSpec;
import dev.skiff.jobs.RetryPolicy;
import dev.skiff.jobs.Violation;
import java.util.ArrayList;
import java.util.List;

/** The limits Step Functions puts on the numbers a job spec turns into. */
final class AslLimits {

    /** ASL's upper bound for TimeoutSeconds and HeartbeatSeconds. */
    static final long MAX_TIMEOUT_SECONDS = 99_999_999L;

    private AslLimits() {
    }

    /**
     * The task state's TimeoutSeconds: the job's timeout plus the launch allowance. Step Functions
     * starts this clock when the launch request is sent, not when the job's code starts, so without
     * the allowance a slow image pull or a wait for Spot capacity would eat into the job's own time.
     * The orchestrator enforces the job's timeout itself (Skiff.Timeout); this is the backstop for
     * when it cannot.
     */
    static long timeoutSeconds(JobSpec spec, CompileOptions options) {
        long jobSeconds = spec.timeout().getSeconds() + (spec.timeout().getNano() > 0 ? 1 : 0);
        return jobSeconds + options.launchAllowance().getSeconds();
    }

    static List<Violation> violations(JobSpec spec, CompileOptions options) {
        String source = "job " + spec.name();
        var violations = new ArrayList<Violation>();
        if (spec.timeout().isNegative() || spec.timeout().isZero()) {
            violations.add(new Violation(source, "timeout", spec.timeout().toString(), "must be positive"));
        } else if (timeoutSeconds(spec, options) > MAX_TIMEOUT_SECONDS) {
            violations.add(new Violation(source, "timeout", spec.timeout().toString(),
                    "plus the launch allowance exceeds Step Functions' TimeoutSeconds limit of " + MAX_TIMEOUT_SECONDS));
        } else if (options.heartbeat().getSeconds() >= timeoutSeconds(spec, options)) {
            violations.add(new Violation(source, "timeout", spec.timeout().toString(),
                    "plus the launch allowance must be longer than the heartbeat of "
                            + options.heartbeat().getSeconds() + " s (Step Functions rejects HeartbeatSeconds >= TimeoutSeconds)"));
        }
        violations.addAll(retryViolations(source, spec.retries()));
        return List.copyOf(violations);
    }

    private static List<Violation> retryViolations(String source, RetryPolicy policy) {
        var violations = new ArrayList<Violation>();
        if (policy.maxAttempts() < 1 || policy.maxAttempts() - 1L > RetryDelays.MAX_RETRIES) {
            violations.add(new Violation(source, "retries.maxAttempts", String.valueOf(policy.maxAttempts()),
                    "must be 1-" + (RetryDelays.MAX_RETRIES + 1L)));
        }
        if (!(policy.backoffRate() >= 1.0) || Double.isInfinite(policy.backoffRate())) {
            violations.add(new Violation(source, "retries.backoffRate", String.valueOf(policy.backoffRate()),
                    "must be a finite number of at least 1.0 (ASL BackoffRate)"));
        }
        if (policy.interval().isNegative() || policy.maxDelay().isNegative()) {
            violations.add(new Violation(source, "retries", policy.interval() + "/" + policy.maxDelay(),
                    "interval and maxDelay must not be negative"));
        }
        for (int code : policy.exitCodes().stream().sorted().toList()) {
            if (code < 1 || code > SkiffErrors.MAX_EXIT_CODE) {
                violations.add(new Violation(source, "retries.exitCodes", String.valueOf(code),
                        "must be 1-" + SkiffErrors.MAX_EXIT_CODE + " (0 is success)"));
            }
        }
        return violations;
    }
}
