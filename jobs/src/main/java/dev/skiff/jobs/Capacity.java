package dev.skiff.jobs;

/** Where a job's tasks may run on Fargate. */
public enum Capacity {
    /** Fargate Spot first; on-demand Fargate when Spot has no capacity or interrupts the task. */
    SPOT_FIRST("spot-first"),
    /** Fargate Spot only; waits for capacity within the step's deadline. */
    SPOT_ONLY("spot-only"),
    /** On-demand Fargate only. */
    ON_DEMAND("on-demand");

    private final String specName;

    Capacity(String specName) {
        this.specName = specName;
    }

    /** The spelling used in job specs. */
    public String specName() {
        return specName;
    }
}
