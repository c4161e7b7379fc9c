package dev.skiff.orchestrator.adapter.sqs;

import java.util.Arrays;
import java.util.Map;
import software.amazon.awssdk.services.eventbridge.EventBridgeAsyncClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The AWS side of the intake, as a deployment sets it up: an event bus, a rule for S3 "Object Created"
 * events, the intake queue as its target, and the queue policy that lets EventBridge send to it.
 */
final class EventBridgeRoute {

    private EventBridgeRoute() {
    }

    /** Creates the bus {@code bus}, its rule and target, and the queue policy; returns the bus name for PutEvents. */
    static String toQueue(EventBridgeAsyncClient events, SqsAsyncClient sqs, String queueUrl, String bus) {
        events.createEventBus(r -> r.name(bus)).join();
        String ruleArn = events.putRule(r -> r.name("s3-object-created").eventBusName(bus)
                .eventPattern("{\"source\": [\"aws.s3\"], \"detail-type\": [\"Object Created\"]}")).join().ruleArn();
        String queueArn = MotoAws.arn(sqs, queueUrl);
        sqs.setQueueAttributes(r -> r.queueUrl(queueUrl).attributes(Map.of(QueueAttributeName.POLICY, """
                {"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
                  "Principal": {"Service": "events.amazonaws.com"}, "Action": "sqs:SendMessage",
                  "Resource": "%s", "Condition": {"ArnEquals": {"aws:SourceArn": "%s"}}}]}""".formatted(queueArn, ruleArn))))
                .join();
        events.putTargets(r -> r.rule("s3-object-created").eventBusName(bus)
                .targets(t -> t.id("skiff-intake").arn(queueArn))).join();
        return bus;
    }

    /** Puts S3 "Object Created" events for these keys on the bus, in PutEvents calls of at most 10 entries. */
    static void putS3ObjectCreated(EventBridgeAsyncClient events, String bus, String bucket, String... keys) {
        for (int from = 0; from < keys.length; from += 10) {
            var entries = Arrays.stream(keys, from, Math.min(keys.length, from + 10))
                    .map(key -> PutEventsRequestEntry.builder().eventBusName(bus).source("aws.s3").detailType("Object Created")
                            .detail("{\"bucket\": {\"name\": \"%s\"}, \"object\": {\"key\": \"%s\"}}".formatted(bucket, key))
                            .build())
                    .toList();
            PutEventsResponse response = events.putEvents(r -> r.entries(entries)).join();
            if (response.failedEntryCount() > 0) {
                throw new IllegalStateException("PutEvents failed: " + response.entries());
            }
        }
    }
}
