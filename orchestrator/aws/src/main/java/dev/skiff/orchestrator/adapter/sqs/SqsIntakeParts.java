package dev.skiff.orchestrator.adapter.sqs;

import io.micrometer.core.instrument.MeterRegistry;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;

/** The pieces of the SQS intake that talk to SQS, built once over one client and shared by the handler and the extender. */
public record SqsIntakeParts(SqsIntakeOptions options, SqsQueue queue, SqsDeadLetterQueue deadLetters,
                             VisibilityExtender visibility, SqsIntakeMetrics metrics) {

    public static SqsIntakeParts on(SqsAsyncClient sqs, SqsIntakeOptions options, MeterRegistry registry) {
        var queue = new SqsQueue(sqs, options.queueUrl());
        var metrics = new SqsIntakeMetrics(registry);
        return new SqsIntakeParts(options, queue, new SqsDeadLetterQueue(sqs, options.deadLetterQueueUrl()),
                new VisibilityExtender(queue, options, metrics), metrics);
    }
}
