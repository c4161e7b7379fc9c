package dev.skiff.orchestrator.adapter.sqs;

import io.micrometer.core.instrument.MeterRegistry;

/** The SQS intake's counters on {@code /q/metrics} ({@code skiff_intake_sqs_*_total}). */
public final class SqsIntakeMetrics {

    private final MeterRegistry registry;

    public SqsIntakeMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void received() {
        registry.counter("skiff.intake.sqs.received").increment();
    }

    /** Runs this delivery created; a redelivered event starts none. */
    void runsStarted(String job) {
        registry.counter("skiff.intake.sqs.runs.started", "job", job).increment();
    }

    void unmatched() {
        registry.counter("skiff.intake.sqs.unmatched").increment();
    }

    /** Handling failed and the message will be tried again. */
    void failed() {
        registry.counter("skiff.intake.sqs.failed").increment();
    }

    void deadLettered(DeadLetterReason reason) {
        registry.counter("skiff.intake.sqs.dead.lettered", "reason", reason.code()).increment();
    }

    void visibilityExtended() {
        registry.counter("skiff.intake.sqs.visibility.extended").increment();
    }
}
