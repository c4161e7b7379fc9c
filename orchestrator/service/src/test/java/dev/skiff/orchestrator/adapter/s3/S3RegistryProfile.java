package dev.skiff.orchestrator.adapter.s3;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/** The service with its job registry in a moto S3 bucket holding one job, {@code seeded}; no authentication. */
public class S3RegistryProfile implements QuarkusTestProfile {

    static String bucket;

    /** Creates the bucket and points the service at it; credentials come through the SDK's chain. */
    public static class Bucket implements QuarkusTestResourceLifecycleManager {

        @Override
        public Map<String, String> start() {
            try (S3Client s3 = MotoS3.client()) {
                bucket = MotoS3.createBucket(s3);
                s3.putObject(r -> r.bucket(bucket).key("jobs/seeded.yaml"), RequestBody.fromString("""
                        name: seeded
                        owner: test-team
                        image: example/seeded:1
                        command: ["true"]
                        """));
                System.setProperty("aws.accessKeyId", MotoS3.ACCESS_KEY);
                System.setProperty("aws.secretAccessKey", MotoS3.SECRET_KEY);
                return Map.of("skiff.data-dir", Files.createTempDirectory("skiff-s3-test-").toString(),
                        "skiff.jobs.location", "s3://" + bucket + "/jobs/",
                        "skiff.aws.endpoint", dev.skiff.testing.MotoServer.shared().endpoint().toString(),
                        "skiff.aws.region", "us-east-1");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void stop() {
            System.clearProperty("aws.accessKeyId");
            System.clearProperty("aws.secretAccessKey");
        }
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(Bucket.class));
    }

    @Override
    public boolean disableGlobalTestResources() {
        return true;
    }
}
