package dev.skiff.orchestrator.adapter.sqs;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import software.amazon.awssdk.services.eventbridge.EventBridgeAsyncClient;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;

/**
 * An AWS side for the service under test, on moto: the intake queue behind an EventBridge rule, its
 * dead-letter queue, and two jobs whose command is {@code true}. Returns the configuration that points
 * the service at them; if moto cannot start, the test fails.
 */
public class SqsIntakeResource implements QuarkusTestResourceLifecycleManager {

    static final String JOB = """
            name: %s
            owner: test-team
            image: example/ingest:1
            command: ["true"]
            parameters:
              KEY: {required: true}
            triggers:
              events:
                - pattern:
                    source: [aws.s3]
                    detail-type: [Object Created]
                    detail:
                      bucket: {name: [%s]}
                  parameters:
                    KEY: $.detail.object.key
            """;

    /** What the test needs to reach the same AWS side. */
    record Aws(String intakeQueueUrl, String deadLetterQueueUrl, String bus) {
    }

    static Aws aws;

    @Override
    public Map<String, String> start() {
        try (SqsAsyncClient sqs = MotoAws.sqs(); EventBridgeAsyncClient events = MotoAws.events()) {
            String intake = MotoAws.createQueue(sqs, "skiff-intake");
            String dlq = MotoAws.createQueue(sqs, "skiff-intake-dlq");
            String bus = EventBridgeRoute.toQueue(events, sqs, intake, "skiff-" + UUID.randomUUID());
            aws = new Aws(intake, dlq, bus);
            Path jobs = Files.createTempDirectory("skiff-sqs-jobs-");
            Files.writeString(jobs.resolve("on-upload.yaml"), JOB.formatted("on-upload", "landing"));
            Files.writeString(jobs.resolve("burst.yaml"), JOB.formatted("burst", "burst"));
            // The SDK's default chain reads these: the service gets no credentials in its configuration.
            System.setProperty("aws.accessKeyId", MotoAws.ACCESS_KEY);
            System.setProperty("aws.secretAccessKey", MotoAws.SECRET_KEY);
            return Map.of(
                    "skiff.data-dir", Files.createTempDirectory("skiff-sqs-test-").toString(),
                    "skiff.jobs.location", jobs.toString(),
                    "skiff.embedded.max-concurrent-attempts", "32",
                    "skiff.aws.endpoint", MotoAws.endpoint().toString(),
                    "skiff.aws.region", MotoAws.REGION.id(),
                    "skiff.intake.sqs.queue-url", intake,
                    "skiff.intake.sqs.dead-letter-queue-url", dlq,
                    "skiff.intake.sqs.concurrency", "8",
                    // Short, so that a message moto's racy DeleteMessage resurrects comes back within the test.
                    "skiff.intake.sqs.visibility-timeout", "5s");
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
