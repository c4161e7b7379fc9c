package dev.skiff.jobs;

import java.time.Duration;
import java.time.ZoneId;
import java.util.Set;

/** The value of every optional field a spec leaves out; the schema's "default"s say the same. */
final class SpecDefaults {

    static final int CPU = ResourceRule.DEFAULT_CPU;
    static final int EPHEMERAL_STORAGE_GIB = 21;
    static final Architecture ARCHITECTURE = Architecture.X86_64;
    static final Capacity CAPACITY = Capacity.SPOT_FIRST;
    static final Duration TIMEOUT = Duration.ofHours(1);
    static final int MAX_ATTEMPTS = 2;
    static final Duration INTERVAL = Duration.ofSeconds(30);
    static final double BACKOFF_RATE = 2.0;
    static final Duration MAX_DELAY = Duration.ofMinutes(10);
    // Only failures that say nothing about the job itself are retried unless the author asks for more.
    static final Set<FailureKind> RETRY_ON = Set.of(FailureKind.START_FAILURE, FailureKind.LOST);
    static final ZoneId TIME_ZONE = ZoneId.of("UTC");
    static final MisfirePolicy MISFIRE = MisfirePolicy.LAST;
    static final int MAX_MISFIRES = 10;
    static final ConcurrencyPolicy CONCURRENCY = ConcurrencyPolicy.FORBID;
    static final int MAX_CONCURRENCY = 10;
    /**
     * The resources and retries of a spec that gives none, as one instance each: most jobs and their steps take them,
     * and sharing them spares two objects of each per job (about 14 MB at 100,000 specs).
     */
    static final Resources RESOURCES = new Resources(CPU, FargateSizes.smallestMemory(CPU), EPHEMERAL_STORAGE_GIB, ARCHITECTURE);
    static final RetryPolicy RETRIES = new RetryPolicy(MAX_ATTEMPTS, INTERVAL, BACKOFF_RATE, MAX_DELAY, RETRY_ON, Set.of());

    private SpecDefaults() {
    }
}
