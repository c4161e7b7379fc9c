package dev.skiff.jobs;

/**
 * The wire contract of the events Skiff's Lambda trigger puts on the bus and the orchestrator reads, declared once
 * for the trigger (which writes them), the orchestrator (which reads them) and the stack (whose bus policy lets
 * only the trigger put them).
 */
public final class SkiffEvents {

    private SkiffEvents() {
    }

    /** The source of every event the trigger publishes; in AWS mode only the trigger's role may put it on the bus. */
    public static final String SOURCE = "skiff.trigger";

    /** The detail-type of a signed webhook that asks for a run of the job it names. */
    public static final String WEBHOOK_RUN_REQUESTED = "Webhook Run Requested";

    /**
     * The detail field with the event's deterministic id. PutEvents cannot set an event's id, so the trigger carries
     * its own here, and the orchestrator takes it as the event id for {@link #SOURCE}: a retried delivery is the same run.
     */
    public static final String EVENT_ID_FIELD = "skiffEventId";

    /** The detail field of a {@link #WEBHOOK_RUN_REQUESTED} event naming the job to run. */
    public static final String JOB_FIELD = "job";

    /** The detail field of a {@link #WEBHOOK_RUN_REQUESTED} event with the run's parameters (an object of strings). */
    public static final String PARAMETERS_FIELD = "parameters";
}
