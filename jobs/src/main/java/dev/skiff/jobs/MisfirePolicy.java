package dev.skiff.jobs;

/** Fires missed while no orchestrator was running. */
public enum MisfirePolicy {
    /** Run every missed fire, up to the schedule's maxMisfires. */
    ALL("all"),
    /** Run only the most recent missed fire. */
    LAST("last"),
    /** Run none; wait for the next fire. */
    NONE("none");

    private final String specName;

    MisfirePolicy(String specName) {
        this.specName = specName;
    }

    public String specName() {
        return specName;
    }
}
