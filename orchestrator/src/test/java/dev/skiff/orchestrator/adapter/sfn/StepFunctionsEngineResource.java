package dev.skiff.orchestrator.adapter.sfn;

import dev.skiff.testing.MotoServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The AWS side of a service in {@code stepfunctions} mode, on moto: a dispatch queue and a directory with one
 * job whose name no other test uses. Returns the configuration that points the service at them.
 */
public class StepFunctionsEngineResource implements QuarkusTestResourceLifecycleManager {

    /** What the test needs to reach the same AWS side. */
    record Aws(String dispatchQueueUrl, String job) {
    }

    static Aws aws;

    @Override
    public Map<String, String> start() {
        try (SqsClient sqs = MotoStepFunctions.sqs()) {
            MotoStepFunctions.sfn().close(); // turns moto's execution on
            String queue = MotoStepFunctions.dispatchQueue(sqs);
            String job = MotoStepFunctions.jobName("wired");
            aws = new Aws(queue, job);
            Path jobs = Files.createTempDirectory("skiff-sfn-jobs-");
            Files.writeString(jobs.resolve(job + ".yaml"), """
                    name: %s
                    owner: test-team
                    image: example/etl:1
                    command: ["true"]
                    """.formatted(job));
            // The SDK's default chain reads these: the service gets no credentials in its configuration.
            System.setProperty("aws.accessKeyId", "testing");
            System.setProperty("aws.secretAccessKey", "testing");
            return Map.of(
                    "skiff.engine", "stepfunctions",
                    "skiff.sfn.role-arn", MotoStepFunctions.ROLE_ARN,
                    "skiff.sfn.dispatch-queue-url", queue,
                    "skiff.data-dir", Files.createTempDirectory("skiff-sfn-test-").toString(),
                    "skiff.jobs.location", jobs.toString(),
                    "skiff.aws.endpoint", MotoServer.shared().endpoint().toString(),
                    "skiff.aws.region", MotoStepFunctions.REGION.id());
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
