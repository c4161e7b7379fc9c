package dev.skiff.infra;

import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.cloudwatch.IMetric;
import software.amazon.awscdk.services.cloudwatch.MetricOptions;
import software.amazon.awscdk.services.sqs.DeadLetterQueue;
import software.amazon.awscdk.services.sqs.Queue;
import software.amazon.awscdk.services.sqs.QueueEncryption;
import software.constructs.Construct;

/**
 * An SQS queue with its own dead-letter queue: both encrypted with SQS-managed keys and refusing
 * requests that do not use TLS. A message that fails {@link #MAX_RECEIVE_COUNT} receives moves to
 * the dead-letter queue, where it stays for the longest retention SQS offers.
 */
public final class QueueWithDeadLetter extends Construct {

    /** Receives before SQS moves a message to the dead-letter queue (the orchestrator's {@code max-receives} default). */
    public static final int MAX_RECEIVE_COUNT = 5;

    private final Queue queue;
    private final Queue deadLetterQueue;
    private final Duration oldestAgeThreshold;

    /**
     * @param visibilityTimeout  how long a received message stays hidden; longer than handling one takes
     * @param oldestAgeThreshold the age of the oldest message that means the queue is not being worked off
     */
    public QueueWithDeadLetter(Construct scope, String id, Duration visibilityTimeout, Duration oldestAgeThreshold) {
        super(scope, id);
        this.oldestAgeThreshold = oldestAgeThreshold;
        this.deadLetterQueue = Queue.Builder.create(this, "DeadLetterQueue")
                .encryption(QueueEncryption.SQS_MANAGED)
                .enforceSsl(true)
                .retentionPeriod(Duration.days(14))
                .build();
        this.queue = Queue.Builder.create(this, "Queue")
                .encryption(QueueEncryption.SQS_MANAGED)
                .enforceSsl(true)
                .visibilityTimeout(visibilityTimeout)
                .retentionPeriod(Duration.days(4))
                .deadLetterQueue(DeadLetterQueue.builder().queue(deadLetterQueue).maxReceiveCount(MAX_RECEIVE_COUNT).build())
                .build();
    }

    public Queue queue() {
        return queue;
    }

    public Queue deadLetterQueue() {
        return deadLetterQueue;
    }

    public Duration oldestAgeThreshold() {
        return oldestAgeThreshold;
    }

    /** Messages waiting in the main queue (the largest sample of the minute). */
    public IMetric visibleMessages() {
        return queue.metricApproximateNumberOfMessagesVisible(perMinute("Maximum"));
    }

    /** Messages in the dead-letter queue: anything above zero needs a person. */
    public IMetric deadLetters() {
        return deadLetterQueue.metricApproximateNumberOfMessagesVisible(perMinute("Maximum"));
    }

    /** The age of the main queue's oldest message, in seconds. */
    public IMetric oldestMessageAge() {
        return queue.metricApproximateAgeOfOldestMessage(perMinute("Maximum"));
    }

    private static MetricOptions perMinute(String statistic) {
        return MetricOptions.builder().period(Duration.minutes(1)).statistic(statistic).build();
    }
}
