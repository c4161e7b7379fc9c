/**
 * The Skiff trigger Lambda: turns signed webhooks (API Gateway HTTP API), S3 notifications and SNS
 * messages, directly or through SQS, into Skiff events on the EventBridge bus or the intake queue.
 * It parses, authenticates and publishes; it holds no orchestration logic. The entry point is
 * {@link dev.skiff.trigger.TriggerFunction}; every event carries a deterministic id in
 * {@code detail.skiffEventId}, so a retried invocation publishes the same event again, not a new one.
 */
package dev.skiff.trigger;
