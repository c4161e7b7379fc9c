package dev.skiff.infra;

import dev.skiff.jobs.SkiffEvents;

/**
 * Names that Skiff's infrastructure shares with the orchestrator and the Lambda trigger. Each one must
 * match the orchestrator's default (or the value the stack passes to it): the IAM policies are scoped to
 * these names, so a mismatch shows up as AccessDenied at run time, not at synth.
 */
public final class SkiffNames {

    /**
     * The prefix of every job's task definition family ({@code skiff-<job>}, TaskDefinitionRenderer) and
     * state machine ({@code skiff.sfn.name-prefix}). Job names are lowercase letters, digits and '-', so no
     * resource of Skiff's own (the orchestrator's family, for one) may start with it.
     */
    public static final String JOB_PREFIX = "skiff-";

    /** {@code skiff.fargate.log-group-prefix}: each job logs to {@code <prefix>/<job>}. */
    public static final String JOB_LOG_GROUP_PREFIX = "/skiff/jobs";

    /** The tag the orchestrator puts on each state machine ({@code StateMachines.JOB_TAG}). */
    public static final String JOB_TAG = "skiff:job";

    /** The source of the Lambda trigger's events: such an event names the job it starts. */
    public static final String TRIGGER_SOURCE = SkiffEvents.SOURCE;

    /** The source of Skiff's run events, which only the orchestrator may put on the bus. */
    public static final String RUN_EVENTS_SOURCE = dev.skiff.jobs.RunEvents.SOURCE;

    /** Job secrets must be named under this prefix (Secrets Manager) or path (SSM) for jobs to read them. */
    public static final String JOB_SECRET_PREFIX = "skiff/";

    /** The CloudWatch namespace of the metrics the stack derives from logs and events. */
    public static final String METRIC_NAMESPACE = "Skiff";

    /** Logged by FargateTaskLauncher on every fallback from Spot to on-demand. */
    public static final String SPOT_FALLBACK_PHRASE = "no Fargate Spot capacity";

    /** Logged by TaskStarter on every throttled RunTask call. */
    public static final String RUN_TASK_THROTTLED_PHRASE = "RunTask throttled";

    /** The orchestrator's HTTP port and its readiness endpoint (Quarkus SmallRye Health). */
    public static final int ORCHESTRATOR_PORT = 8080;
    public static final String READINESS_PATH = "/q/health/ready";

    private SkiffNames() {
    }
}
