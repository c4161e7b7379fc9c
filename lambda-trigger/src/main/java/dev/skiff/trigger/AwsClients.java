package dev.skiff.trigger;

import java.net.URI;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.ssm.SsmClient;

/**
 * Builds only the clients the configuration needs, all on one URLConnection HTTP client (no Netty,
 * no Apache client: fewer classes to load at cold start), in the function's region, and pointed at
 * {@code AWS_ENDPOINT_URL} when one is set.
 */
final class AwsClients {

    private final TriggerConfig config;
    private final SdkHttpClient http = UrlConnectionHttpClient.create();

    AwsClients(TriggerConfig config) {
        this.config = config;
    }

    EventBridgeClient eventBridge() {
        return configure(EventBridgeClient.builder()).build();
    }

    SqsClient sqs() {
        return configure(SqsClient.builder()).build();
    }

    SecretsManagerClient secretsManager() {
        return configure(SecretsManagerClient.builder()).build();
    }

    SsmClient ssm() {
        return configure(SsmClient.builder()).build();
    }

    private <B extends AwsClientBuilder<B, ?> & AwsSyncClientBuilder<B, ?>> B configure(B builder) {
        builder.httpClient(http);
        config.region().map(Region::of).ifPresent(builder::region);
        config.endpoint().map(URI::create).ifPresent(builder::endpointOverride);
        return builder;
    }
}
