package dev.skiff.orchestrator.aws;

import dev.skiff.orchestrator.adapter.ecs.MotoEcs;
import dev.skiff.orchestrator.adapter.sfn.MotoStepFunctions;
import dev.skiff.testing.MotoServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The AWS side of a service in {@code stepfunctions} mode, on moto: the dispatch and task-events queues, an ECS
 * cluster with its network, and a directory with one job whose name no other test uses. Returns the configuration that points the service at them.
 */
public class StepFunctionsEngineResource implements QuarkusTestResourceLifecycleManager {

    /** What the test needs to reach the same AWS side. */
    record Aws(String dispatchQueueUrl, String taskEventsQueueUrl, String cluster, String job) {
    }

    static Aws aws;

    /** The keys of the region's x86 prices. */
    static final String PRICES = "skiff.fargate.prices." + MotoStepFunctions.REGION.id() + ".X86_64.";

    @Override
    public Map<String, String> start() {
        try (SqsClient sqs = MotoStepFunctions.sqs()) {
            MotoStepFunctions.sfn().close(); // turns moto's execution on
            String queue = MotoStepFunctions.dispatchQueue(sqs);
            String taskEvents = sqs.createQueue(r -> r.queueName("skiff-task-events-" + MotoEcs.suffix())).queueUrl();
            String job = MotoStepFunctions.jobName("wired");
            MotoEcs ecs;
            try (EcsClient client = MotoEcs.client(MotoEcs.endpoint())) {
                ecs = MotoEcs.create(client);
            }
            aws = new Aws(queue, taskEvents, ecs.cluster, job);
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
            return Map.ofEntries(
                    Map.entry("skiff.engine", "stepfunctions"),
                    Map.entry("skiff.launcher", "fargate"),
                    Map.entry("skiff.fargate.cluster", ecs.cluster),
                    Map.entry("skiff.fargate.subnets", ecs.subnet),
                    Map.entry("skiff.fargate.security-groups", ecs.securityGroup),
                    Map.entry("skiff.sfn.role-arn", MotoStepFunctions.ROLE_ARN),
                    Map.entry("skiff.sfn.token-keys", MotoStepFunctions.TOKEN_KEY),
                    Map.entry("skiff.sfn.dispatch-queue-url", queue),
                    Map.entry("skiff.sfn.task-events-queue-url", taskEvents),
                    // The test plays ECS and sends each STOPPED event itself; a sweep would race it.
                    Map.entry("skiff.sfn.reconcile-interval", "15m"),
                    Map.entry("skiff.sfn.heartbeat", "30m"), // at least two sweeps; below the job's timeout
                    Map.entry("skiff.data-dir", Files.createTempDirectory("skiff-sfn-test-").toString()),
                    Map.entry("skiff.jobs.location", jobs.toString()),
                    Map.entry("skiff.aws.endpoint", MotoServer.shared().endpoint().toString()),
                    // Prices of this region, overridden: a 256-unit task costs 9 USD an hour (on Spot as on-demand), so
                    // a cost report shows the launcher priced with them
                    Map.entry(PRICES + "vcpu-hour", "36"), Map.entry(PRICES + "spot-vcpu-hour", "36"),
                    Map.entry(PRICES + "gb-hour", "0"), Map.entry(PRICES + "spot-gb-hour", "0"),
                    Map.entry(PRICES + "storage-gb-hour", "0"),
                    Map.entry("skiff.aws.region", MotoStepFunctions.REGION.id()));
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
