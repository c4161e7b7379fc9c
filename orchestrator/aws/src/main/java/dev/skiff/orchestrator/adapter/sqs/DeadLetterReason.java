package dev.skiff.orchestrator.adapter.sqs;

/**
 * Why a message left the intake queue for the dead-letter queue.
 *
 * @param code   a short fixed word, used as the metric tag and the {@code skiff-reason-code} attribute
 * @param detail the whole story for a person, in the {@code skiff-reason} attribute
 */
public record DeadLetterReason(String code, String detail) {

    /** Not an EventBridge event at all: trying again cannot help. */
    public static final String UNREADABLE = "unreadable";
    /** Matched, but a run was refused in a way no later try can change (parameters that do not fit, a job gone). */
    public static final String REFUSED = "refused";
    /** Handling failed, or never finished, on every one of the allowed receives. */
    public static final String MAX_RECEIVES = "max-receives";

    static DeadLetterReason unreadable(String why) {
        return new DeadLetterReason(UNREADABLE, "the message is not an EventBridge event: " + why);
    }

    static DeadLetterReason refused(String errors) {
        return new DeadLetterReason(REFUSED, "no later try can start the refused runs: " + errors);
    }

    static DeadLetterReason failedEveryTime(int receives, String lastError) {
        return new DeadLetterReason(MAX_RECEIVES, "handling failed " + receives
                + " times (skiff.intake.sqs.max-receives); the last error: " + lastError);
    }

    static DeadLetterReason neverFinished(int receives, int maxReceives) {
        return new DeadLetterReason(MAX_RECEIVES, "received " + receives + " times, more than skiff.intake.sqs.max-receives ("
                + maxReceives + "), without its handling ever finishing (a crash or a hang on this message?)");
    }
}
