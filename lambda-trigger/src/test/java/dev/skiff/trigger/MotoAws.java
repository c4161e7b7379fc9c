package dev.skiff.trigger;

import dev.skiff.testing.MotoServer;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.ssm.SsmClient;

/** Clients on the shared moto server, with static test credentials in us-east-1. */
final class MotoAws {

    static final String REGION = "us-east-1";

    final MotoServer moto = MotoServer.shared();
    final EventBridgeClient events;
    final SqsClient sqs;
    final SecretsManagerClient secrets;
    final SsmClient ssm;

    MotoAws() {
        moto.reset();
        var credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"));
        var http = UrlConnectionHttpClient.create();
        events = EventBridgeClient.builder().httpClient(http).region(Region.of(REGION)).credentialsProvider(credentials)
                .endpointOverride(moto.endpoint()).build();
        sqs = SqsClient.builder().httpClient(http).region(Region.of(REGION)).credentialsProvider(credentials)
                .endpointOverride(moto.endpoint()).build();
        secrets = SecretsManagerClient.builder().httpClient(http).region(Region.of(REGION)).credentialsProvider(credentials)
                .endpointOverride(moto.endpoint()).build();
        ssm = SsmClient.builder().httpClient(http).region(Region.of(REGION)).credentialsProvider(credentials)
                .endpointOverride(moto.endpoint()).build();
    }

    /** The environment the function gets in these tests (credentials come from surefire's system properties). */
    Map<String, String> environment(Map<String, String> settings) {
        var env = new java.util.HashMap<>(settings);
        env.put("AWS_REGION", REGION);
        env.put("AWS_ENDPOINT_URL", moto.endpoint().toString());
        return env;
    }

    String createQueue(String name) {
        return sqs.createQueue(r -> r.queueName(name)).queueUrl();
    }

    String queueArn(String url) {
        return sqs.getQueueAttributes(r -> r.queueUrl(url).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
    }

    /** A bus whose rule sends every skiff.trigger event to a new queue; returns the queue's URL. */
    String busDeliveringTo(String bus, String queue) {
        events.createEventBus(r -> r.name(bus));
        String url = createQueue(queue);
        events.putRule(r -> r.name("skiff-trigger-to-" + queue).eventBusName(bus)
                .eventPattern("{\"source\": [\"skiff.trigger\"]}"));
        events.putTargets(r -> r.rule("skiff-trigger-to-" + queue).eventBusName(bus)
                .targets(t -> t.id("queue").arn(queueArn(url))));
        return url;
    }

    /** Receives until {@code count} messages arrived (or a few empty polls passed). */
    List<Message> receive(String queueUrl, int count) {
        var messages = new java.util.ArrayList<Message>();
        for (int polls = 0; polls < 5 && messages.size() < count; polls++) {
            messages.addAll(sqs.receiveMessage(r -> r.queueUrl(queueUrl).maxNumberOfMessages(10).waitTimeSeconds(1)).messages());
        }
        return messages;
    }
}
