package dev.skiff.jobs;

/** A schedule fire that comes while a run of the same job is still active. */
public enum ConcurrencyPolicy {
    /** Start another run beside it. */
    ALLOW("allow"),
    /** Skip this fire. */
    FORBID("forbid"),
    /** Cancel the active run, then start. */
    REPLACE("replace");

    private final String specName;

    ConcurrencyPolicy(String specName) {
        this.specName = specName;
    }

    public String specName() {
        return specName;
    }
}
