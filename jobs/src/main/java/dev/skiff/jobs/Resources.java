package dev.skiff.jobs;

/**
 * Fargate task size.
 *
 * @param cpu                  CPU units (1024 = 1 vCPU); one of the Fargate sizes
 * @param memory               MiB; must be valid with cpu (see {@link FargateSizes})
 * @param ephemeralStorageGiB  21-200 GiB
 */
public record Resources(int cpu, int memory, int ephemeralStorageGiB, Architecture architecture) {
}
