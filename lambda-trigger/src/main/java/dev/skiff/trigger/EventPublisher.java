package dev.skiff.trigger;

import java.util.List;

/**
 * Where Skiff events go: the EventBridge bus ({@link EventBridgeEventPublisher}) or the intake
 * queue ({@link SqsEventPublisher}). Publishing is at least once: a caller retries what failed, and
 * the deterministic ids make a repeat harmless.
 */
public interface EventPublisher {

    /** Publishes every event; never throws for a rejected event, reports it in the result instead. */
    PublishResult publish(List<SkiffEvent> events);
}
