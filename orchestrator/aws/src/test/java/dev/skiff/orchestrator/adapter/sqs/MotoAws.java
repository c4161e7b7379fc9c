package dev.skiff.orchestrator.adapter.sqs;

import dev.skiff.testing.MotoServer;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.eventbridge.EventBridgeAsyncClient;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageRequest;

/**
 * Real AWS SDK clients on the shared moto server, with static test credentials in us-east-1. Each test
 * makes its own uniquely named queues instead of resetting moto, so an application still polling an
 * earlier test's queue is never pulled from under it.
 */
final class MotoAws {

    static final Region REGION = Region.US_EAST_1;
    static final String ACCESS_KEY = "testing";
    static final String SECRET_KEY = "testing";

    private MotoAws() {
    }

    static URI endpoint() {
        return MotoServer.shared().endpoint();
    }

    static SqsAsyncClient sqs() {
        return SqsAsyncClient.builder().endpointOverride(endpoint()).region(REGION)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
                .build();
    }

    static EventBridgeAsyncClient events() {
        return EventBridgeAsyncClient.builder().endpointOverride(endpoint()).region(REGION)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
                .build();
    }

    /** A new queue whose name starts with {@code prefix}; returns its URL. */
    static String createQueue(SqsAsyncClient sqs, String prefix) {
        String name = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        return sqs.createQueue(r -> r.queueName(name)).join().queueUrl();
    }

    static String arn(SqsAsyncClient sqs, String queueUrl) {
        return sqs.getQueueAttributes(r -> r.queueUrl(queueUrl).attributeNames(QueueAttributeName.QUEUE_ARN)).join()
                .attributes().get(QueueAttributeName.QUEUE_ARN);
    }

    /** Messages on the queue, visible or not: what "the queue is empty" means. */
    static int messagesOn(SqsAsyncClient sqs, String queueUrl) {
        Map<QueueAttributeName, String> attributes = sqs.getQueueAttributes(r -> r.queueUrl(queueUrl).attributeNames(
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).join().attributes();
        return Integer.parseInt(attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                + Integer.parseInt(attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
    }

    /**
     * Receives as the connector does (the intake's own request shape), but hiding each message only for
     * {@code visibility} and waiting at most {@code within} for the first.
     */
    static List<Message> receive(SqsAsyncClient sqs, SqsIntakeOptions options, Duration visibility, Duration within) {
        Instant giveUp = Instant.now().plus(within);
        var received = new ArrayList<Message>();
        while (received.isEmpty() && Instant.now().isBefore(giveUp)) {
            var request = ReceiveMessageRequest.builder().queueUrl(options.queueUrl());
            new SqsReceiveRequests(options.visibilityTimeout()).customize(request);
            request.waitTimeSeconds(1).visibilityTimeout((int) visibility.toSeconds())
                    .messageAttributeNames("All");
            received.addAll(sqs.receiveMessage(request.build()).join().messages());
        }
        return received;
    }

    /** Every message on a dead-letter queue, with its attributes. */
    static List<Message> drain(SqsAsyncClient sqs, String queueUrl) {
        return sqs.receiveMessage(r -> r.queueUrl(queueUrl).maxNumberOfMessages(10).waitTimeSeconds(1)
                .messageAttributeNames("All").messageSystemAttributeNames(MessageSystemAttributeName.ALL)).join().messages();
    }
}
