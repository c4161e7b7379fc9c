package dev.skiff.trigger;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The function's settings, from its environment. Every problem is reported at once when the
 * function starts, naming the variable, so a misconfigured deployment fails its first invocation
 * with a clear message instead of failing requests one by one.
 *
 * @param target           where events go: {@code eventbridge} (default) or {@code sqs}
 * @param eventBus         SKIFF_EVENT_BUS: the bus name or ARN (default {@code default})
 * @param intakeQueueUrl   SKIFF_INTAKE_QUEUE_URL: required when the target is {@code sqs}
 * @param secretArn        SKIFF_SIGNING_SECRET_ARN: the Secrets Manager secret holding the webhook secret
 * @param secretParameter  SKIFF_SIGNING_SECRET_PARAMETER: or an SSM parameter (SecureString) holding it
 * @param secretTtl        SKIFF_SIGNING_SECRET_TTL_SECONDS: how long a read secret is kept (default 300)
 * @param maxBodyBytes     SKIFF_MAX_BODY_BYTES: the largest webhook body accepted (default 65536)
 * @param jobsDirectory    SKIFF_JOBS_DIR: job specs to check webhook parameters against (optional)
 * @param region           AWS_REGION, set by Lambda
 * @param endpoint         AWS_ENDPOINT_URL: an emulator for every client (tests and local runs)
 */
public record TriggerConfig(
        Target target,
        String eventBus,
        Optional<String> intakeQueueUrl,
        Optional<String> secretArn,
        Optional<String> secretParameter,
        Duration secretTtl,
        int maxBodyBytes,
        Optional<Path> jobsDirectory,
        Optional<String> region,
        Optional<String> endpoint) {

    public enum Target { EVENTBRIDGE, SQS }

    public static final int DEFAULT_MAX_BODY_BYTES = 64 * 1024;
    /** EventBridge refuses entries over 256 KiB; the detail must fit in one. */
    public static final int LIMIT_MAX_BODY_BYTES = 200 * 1024;
    public static final Duration DEFAULT_SECRET_TTL = Duration.ofMinutes(5);

    /** @throws IllegalArgumentException naming every bad or missing variable */
    public static TriggerConfig fromEnvironment(Map<String, String> env) {
        var problems = new ArrayList<String>();
        Target target = switch (value(env, "SKIFF_TARGET").orElse("eventbridge")) {
            case "eventbridge" -> Target.EVENTBRIDGE;
            case "sqs" -> Target.SQS;
            default -> {
                problems.add("SKIFF_TARGET: " + env.get("SKIFF_TARGET") + " must be eventbridge or sqs");
                yield Target.EVENTBRIDGE;
            }
        };
        Optional<String> queue = value(env, "SKIFF_INTAKE_QUEUE_URL");
        if (target == Target.SQS && queue.isEmpty()) {
            problems.add("SKIFF_INTAKE_QUEUE_URL: is required when SKIFF_TARGET is sqs");
        }
        Optional<String> secretArn = value(env, "SKIFF_SIGNING_SECRET_ARN");
        Optional<String> secretParameter = value(env, "SKIFF_SIGNING_SECRET_PARAMETER");
        if (secretArn.isPresent() && secretParameter.isPresent()) {
            problems.add("SKIFF_SIGNING_SECRET_ARN and SKIFF_SIGNING_SECRET_PARAMETER: set one, not both");
        }
        int ttl = number(env, "SKIFF_SIGNING_SECRET_TTL_SECONDS", (int) DEFAULT_SECRET_TTL.toSeconds(), 0, 86_400, problems);
        int maxBody = number(env, "SKIFF_MAX_BODY_BYTES", DEFAULT_MAX_BODY_BYTES, 1, LIMIT_MAX_BODY_BYTES, problems);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("the trigger function is misconfigured:\n" + String.join("\n", problems));
        }
        return new TriggerConfig(target, value(env, "SKIFF_EVENT_BUS").orElse("default"), queue, secretArn,
                secretParameter, Duration.ofSeconds(ttl), maxBody, value(env, "SKIFF_JOBS_DIR").map(Path::of),
                value(env, "AWS_REGION"), value(env, "AWS_ENDPOINT_URL"));
    }

    /** Without a signing secret the function refuses every webhook (and still handles notifications). */
    public boolean webhooksEnabled() {
        return secretArn.isPresent() || secretParameter.isPresent();
    }

    private static Optional<String> value(Map<String, String> env, String name) {
        return Optional.ofNullable(env.get(name)).map(String::strip).filter(v -> !v.isEmpty());
    }

    private static int number(Map<String, String> env, String name, int fallback, int min, int max, List<String> problems) {
        Optional<String> text = value(env, name);
        if (text.isEmpty()) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(text.get());
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        problems.add(name + ": " + text.get() + " must be a whole number from " + min + " to " + max);
        return fallback;
    }
}
