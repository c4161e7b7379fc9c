package dev.skiff.orchestrator.adapter.sqs;

import java.time.Duration;
import java.util.Objects;

/**
 * How the SQS intake treats its queue. Bad values fail here, naming the configuration key they come from.
 *
 * @param queueUrl           the intake queue that EventBridge rules deliver events to
 * @param deadLetterQueueUrl where messages that cannot become runs go, with the reason
 * @param maxReceives        a message whose handling failed this many times is dead-lettered
 * @param visibilityTimeout  how long a received message stays hidden; extended while it is being handled
 * @param retryDelay         how long a message whose handling failed stays hidden before the next try
 */
public record SqsIntakeOptions(String queueUrl, String deadLetterQueueUrl, int maxReceives, Duration visibilityTimeout,
                               Duration retryDelay) {

    public static final int DEFAULT_MAX_RECEIVES = 5;
    public static final Duration DEFAULT_VISIBILITY_TIMEOUT = Duration.ofSeconds(60);
    public static final Duration DEFAULT_RETRY_DELAY = Duration.ofSeconds(15);
    /** SQS's own bound on a visibility timeout. */
    static final Duration MAX_VISIBILITY = Duration.ofHours(12);

    public SqsIntakeOptions {
        requireUrl(queueUrl, "skiff.intake.sqs.queue-url");
        requireUrl(deadLetterQueueUrl, "skiff.intake.sqs.dead-letter-queue-url");
        if (queueUrl.equals(deadLetterQueueUrl)) {
            throw new IllegalArgumentException("skiff.intake.sqs.dead-letter-queue-url: must not be the intake queue " + queueUrl);
        }
        if (maxReceives < 1) {
            throw new IllegalArgumentException("skiff.intake.sqs.max-receives: " + maxReceives + " must be at least 1");
        }
        requireVisibility(visibilityTimeout, Duration.ofSeconds(3), "skiff.intake.sqs.visibility-timeout");
        requireVisibility(retryDelay, Duration.ZERO, "skiff.intake.sqs.retry-delay");
    }

    /** The intake on these queues, with the default limits. */
    public static SqsIntakeOptions of(String queueUrl, String deadLetterQueueUrl) {
        return new SqsIntakeOptions(queueUrl, deadLetterQueueUrl, DEFAULT_MAX_RECEIVES, DEFAULT_VISIBILITY_TIMEOUT,
                DEFAULT_RETRY_DELAY);
    }

    public SqsIntakeOptions withMaxReceives(int value) {
        return new SqsIntakeOptions(queueUrl, deadLetterQueueUrl, value, visibilityTimeout, retryDelay);
    }

    public SqsIntakeOptions withVisibilityTimeout(Duration value) {
        return new SqsIntakeOptions(queueUrl, deadLetterQueueUrl, maxReceives, value, retryDelay);
    }

    public SqsIntakeOptions withRetryDelay(Duration value) {
        return new SqsIntakeOptions(queueUrl, deadLetterQueueUrl, maxReceives, visibilityTimeout, value);
    }

    /** Handling that lasts longer than this gets its visibility extended: a third leaves time for a slow call to SQS. */
    Duration extendAfter() {
        return visibilityTimeout.dividedBy(3);
    }

    private static void requireUrl(String url, String key) {
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException(key + ": is required once the SQS intake is on");
        }
    }

    private static void requireVisibility(Duration value, Duration min, String key) {
        Objects.requireNonNull(value, key);
        if (value.compareTo(min) < 0 || value.compareTo(MAX_VISIBILITY) > 0) {
            throw new IllegalArgumentException(key + ": " + value + " must be between " + min.toSeconds() + "s and 12h (SQS's limit)");
        }
    }
}
