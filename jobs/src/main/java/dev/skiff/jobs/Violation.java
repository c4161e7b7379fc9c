package dev.skiff.jobs;

/**
 * One problem in a job spec, precise enough to fix without reading Skiff's code.
 *
 * @param source  the file (or request) the spec came from
 * @param path    the field path, e.g. {@code resources.memory} or {@code triggers.schedules[0].cron}; empty for the document
 * @param value   the offending value as written, or null when the field is missing
 * @param rule    what the value breaks, e.g. {@code is not valid with cpu 1024 (allowed 2048-8192 in steps of 1024)}
 */
public record Violation(String source, String path, String value, String rule) {

    /** {@code jobs/examples/nightly.yaml: resources.memory: 16384 is not valid with cpu 1024 (...)} */
    @Override
    public String toString() {
        var where = path.isEmpty() ? source : source + ": " + path;
        return value == null ? where + ": " + rule : where + ": " + value + " " + rule;
    }
}
