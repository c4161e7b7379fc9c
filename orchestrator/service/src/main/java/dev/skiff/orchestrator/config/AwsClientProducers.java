package dev.skiff.orchestrator.config;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;

/**
 * The AWS SDK clients, built only when something needs them, so the embedded default never looks for a
 * region or credentials. Credentials always come from the SDK's default chain.
 */
@ApplicationScoped
class AwsClientProducers {

    @Produces
    @Singleton
    SqsAsyncClient sqs(AwsConfig aws) {
        return configured(SqsAsyncClient.builder(), aws).build();
    }

    void close(@Disposes SqsAsyncClient sqs) {
        sqs.close();
    }

    /** Notifications to SNS topics; without the SDK's retries, since RunNotifications retries each notification itself. */
    @Produces
    @Singleton
    SnsClient sns(AwsConfig aws) {
        return configured(SnsClient.builder(), aws)
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry())).build();
    }

    void close(@Disposes SnsClient sns) {
        sns.close();
    }

    /** Fargate attempts' output, read back for the log endpoint. */
    @Produces
    @Singleton
    CloudWatchLogsClient cloudWatchLogs(AwsConfig aws) {
        return configured(CloudWatchLogsClient.builder(), aws).build();
    }

    void close(@Disposes CloudWatchLogsClient logs) {
        logs.close();
    }

    /** The region and the endpoint override that every client shares. */
    static <B extends AwsClientBuilder<B, ?>> B configured(B builder, AwsConfig aws) {
        aws.region().map(Region::of).ifPresent(builder::region);
        aws.endpoint().ifPresent(builder::endpointOverride);
        return builder;
    }
}
