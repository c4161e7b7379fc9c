package dev.skiff.orchestrator.config;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.utils.SdkAutoCloseable;

/**
 * The service's AWS SDK clients (but the SQS one, which SmallRye's connector needs as a bean), each built on its
 * first use and closed with this. One bean of a Skiff type rather than a bean per client: the container loads
 * every bean's types and every injection point's type when it starts, so a client bean would load its SDK
 * interfaces in the embedded default too, which never uses them (issue 16). Nor may a producer class that embedded
 * mode reaches name an SDK type in a method's signature, or build a client: the container reflects on its declared
 * methods, which has the JVM load their types and verify their code. For the same reason embedded mode's beans take
 * this through an {@code Instance}: building it verifies this class, which loads the SDK's builder interfaces. Credentials
 * always come from the SDK's default chain.
 */
final class AwsClients implements AutoCloseable {

    private final AwsConfig aws;
    private final List<SdkAutoCloseable> built = new ArrayList<>();
    private SfnClient sfn;
    private S3Client s3;
    private EventBridgeClient eventBridge;
    private SnsClient sns;
    private CloudWatchLogsClient logs;
    private EcsClient ecs;

    AwsClients(AwsConfig aws) {
        this.aws = aws;
    }

    synchronized SfnClient sfn() {
        return sfn = once(sfn, () -> configured(SfnClient.builder(), aws).build());
    }

    /** Built only for an S3 registry, S3 pauses or a forEach's list. */
    synchronized S3Client s3() {
        return s3 = once(s3, () -> configured(S3Client.builder(), aws)
                // emulators serve buckets by path, not as host names
                .forcePathStyle(aws.endpoint().isPresent() || System.getenv("AWS_ENDPOINT_URL") != null)
                .build());
    }

    synchronized EventBridgeClient eventBridge() {
        return eventBridge = once(eventBridge, () -> configured(EventBridgeClient.builder(), aws).build());
    }

    /** Notifications to SNS topics; without the SDK's retries, since RunNotifications retries each notification itself. */
    synchronized SnsClient sns() {
        return sns = once(sns, () -> configured(SnsClient.builder(), aws)
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry())).build());
    }

    /** Fargate attempts' output, read back for the log endpoint. */
    synchronized CloudWatchLogsClient cloudWatchLogs() {
        return logs = once(logs, () -> configured(CloudWatchLogsClient.builder(), aws).build());
    }

    synchronized EcsClient ecs() {
        return ecs = once(ecs, () -> configured(EcsClient.builder(), aws).build());
    }

    private <C extends SdkAutoCloseable> C once(C existing, Supplier<C> build) {
        if (existing != null) {
            return existing;
        }
        C client = build.get();
        built.add(client);
        return client;
    }

    /** Closes the clients built so far. */
    @Override
    public synchronized void close() {
        built.forEach(SdkAutoCloseable::close);
        built.clear();
    }

    /**
     * The SQS client the connector's bean is. Built here, not in the producer: the JVM verifies a class the container
     * reflects on, and a builder call in its code would load the SDK's builder interfaces.
     */
    static SqsAsyncClient sqs(AwsConfig aws) {
        return configured(SqsAsyncClient.builder(), aws).build();
    }

    /** The region and the endpoint override that every client shares. */
    static <B extends AwsClientBuilder<B, ?>> B configured(B builder, AwsConfig aws) {
        aws.region().map(Region::of).ifPresent(builder::region);
        aws.endpoint().ifPresent(builder::endpointOverride);
        return builder;
    }
}
