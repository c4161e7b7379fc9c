package dev.skiff.workflows;

import dev.skiff.jobs.Architecture;
import dev.skiff.jobs.Capacity;
import dev.skiff.jobs.FailureKind;
import dev.skiff.jobs.JobSpec;
import dev.skiff.jobs.Resources;
import dev.skiff.jobs.RetryPolicy;
import dev.skiff.jobs.Triggers;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Jobs for lifecycle tests, built directly so each test states the one policy it depends on. */
final class TestJobs {

    private TestJobs() {
    }

    static JobSpec job(Capacity capacity, RetryPolicy retries) {
        return new JobSpec("etl", "", "data", "example/etl:1", List.of("true"), List.of(), Map.of(), Map.of(),
                new Resources(256, 512, 21, Architecture.X86_64), capacity, Duration.ofMinutes(10), retries,
                List.of(), Map.of(), Triggers.none());
    }

    static RetryPolicy retries(int maxAttempts, FailureKind... on) {
        return new RetryPolicy(maxAttempts, Duration.ofSeconds(30), 2.0, Duration.ofMinutes(10), Set.of(on), Set.of());
    }

    static RetryPolicy retriesOnCodes(int maxAttempts, Integer... codes) {
        return new RetryPolicy(maxAttempts, Duration.ofSeconds(30), 2.0, Duration.ofMinutes(10),
                Set.of(FailureKind.EXIT_CODE), Set.of(codes));
    }
}
