package dev.skiff.workflows;

/** How a job's step graph was drawn with ASL's Parallel states. */
public enum GraphShape {
    /**
     * Exactly: the graph is built from chains and independent parts, so each step starts as soon as its own
     * dependencies have succeeded (a single step is this shape too).
     */
    SERIES_PARALLEL,
    /**
     * In levels, for a part that is not series-parallel (such as a->c, a->d, b->d): a step's level is its longest
     * path from a step without dependencies, and each level waits for the whole level before it. No step starts
     * before its dependencies, but some start later than they could.
     */
    LEVELS
}
