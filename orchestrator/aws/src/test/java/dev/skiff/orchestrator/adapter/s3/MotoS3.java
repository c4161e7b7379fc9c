package dev.skiff.orchestrator.adapter.s3;

import dev.skiff.testing.MotoServer;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;

/** Real S3 clients on the shared moto server; each test makes its own bucket, so tests never share state. */
public final class MotoS3 {

    public static final String ACCESS_KEY = "testing";
    public static final String SECRET_KEY = "testing";

    /** Records the key of every GetObject a client sends. */
    public static final class GetObjectRecorder implements ExecutionInterceptor {

        private final List<String> keys = new CopyOnWriteArrayList<>();

        @Override
        public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
            if (context.request() instanceof GetObjectRequest get) {
                keys.add(get.key());
            }
        }

        public List<String> keys() {
            return List.copyOf(keys);
        }

        public void clear() {
            keys.clear();
        }
    }

    private MotoS3() {
    }

    public static S3Client client(ExecutionInterceptor... interceptors) {
        return S3Client.builder().endpointOverride(MotoServer.shared().endpoint()).region(Region.US_EAST_1)
                .forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
                .overrideConfiguration(c -> List.of(interceptors).forEach(c::addExecutionInterceptor))
                .build();
    }

    /** A new, empty bucket; returns its name. */
    public static String createBucket(S3Client s3) {
        String bucket = "skiff-jobs-" + UUID.randomUUID().toString().substring(0, 8);
        s3.createBucket(r -> r.bucket(bucket));
        return bucket;
    }
}
