package dev.skiff.orchestrator.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/**
 * Everything under {@code skiff.intake.sqs.}: the queue that EventBridge rules deliver events to. The
 * intake is off unless {@code queue-url} is set, so the embedded default needs no AWS at all.
 */
@ConfigMapping(prefix = "skiff.intake.sqs")
public interface SqsIntakeConfig {

    /** The intake queue; setting it turns the SQS intake on. */
    Optional<String> queueUrl();

    /** Where messages that cannot become runs go, with the reason; required once the intake is on. */
    Optional<String> deadLetterQueueUrl();

    /** A message whose handling failed this many times goes to the dead-letter queue. */
    @WithDefault("5")
    int maxReceives();

    /** How long a received message stays hidden; messages still being handled are extended before it runs out. */
    @WithDefault("60s")
    Duration visibilityTimeout();

    /** How long a message whose handling failed stays hidden before it is tried again. */
    @WithDefault("15s")
    Duration retryDelay();

    /** Messages handled at once; each may wait on the run engine (a Step Functions call in AWS mode). */
    @WithDefault("4")
    int concurrency();
}
