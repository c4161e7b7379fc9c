package dev.skiff.orchestrator.app;

import dev.skiff.jobs.JobSpec;
import dev.skiff.jobs.JobSpecs;
import dev.skiff.jobs.ValidationResult;
import dev.skiff.jobs.Violation;
import java.util.List;

/**
 * Checks a spec as {@link JobSpecs#check} does, and also that this orchestrator can run it. The spec format
 * knows multi-step jobs (steps, dependsOn, forEach) before the engines run them: until they do, such a spec is
 * refused where it is applied or loaded, with the reason, rather than accepted and run as something else.
 */
public final class RunnableSpecs {

    static final String NOT_YET = "are valid, but this deployment does not run multi-step jobs: they run on the embedded"
            + " engine with the process launcher, and in AWS mode with an S3 job registry (skiff.jobs.location=s3://...),"
            + " where the steps' outputs are kept";

    private RunnableSpecs() {
    }

    /** As {@link #check(String, String, boolean)} for a runtime that does not run pipelines. */
    public static ValidationResult check(String source, String text) {
        return check(source, text, false);
    }

    /**
     * @param runsPipelines true where this orchestrator's runtime runs multi-step jobs (the embedded engine; AWS mode
     *                      with an S3 registry, where step outputs are kept beside the specs); elsewhere a pipeline
     *                      is refused
     */
    public static ValidationResult check(String source, String text, boolean runsPipelines) {
        return runnable(source, JobSpecs.check(source, text), runsPipelines);
    }

    /** {@code result} of {@link JobSpecs#check} (or a spec checked by it before), refused if it cannot run here. */
    static ValidationResult runnable(String source, ValidationResult result, boolean runsPipelines) {
        if (!runsPipelines && result.spec().map(JobSpec::isPipeline).orElse(false)) {
            return ValidationResult.invalid(List.of(new Violation(source, "steps", null, NOT_YET)));
        }
        return result;
    }
}
