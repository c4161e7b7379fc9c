package dev.skiff.benchmarks;

import dev.skiff.testing.EcsEvents;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.StateMachineListItem;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The packaged service in Step Functions mode on moto, as the Step Functions benchmarks run it: its own dispatch and
 * task-events queues, an ECS cluster for its Fargate launcher, and the process itself, configured through its
 * environment. Nothing plays EventBridge for it: the benchmark sends each task's STOPPED event ({@link #ecsEvents}).
 */
record StepFunctionsService(OrchestratorProcess process, MotoCluster cluster, String taskEventsQueue, Path log)
        implements AutoCloseable {

    static final String ROLE_ARN = "arn:aws:iam::123456789012:role/skiff-state-machines";
    static final StaticCredentialsProvider CREDENTIALS =
            StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing"));

    /**
     * Starts the service and waits until it is ready.
     *
     * @param name         names its log ({@code benchmarks/target/<name>-service.log}) and data directory
     * @param jobsLocation {@code skiff.jobs.location}: a directory, or the S3 registry that pipelines need
     * @param more         further environment (it wins over the defaults)
     */
    static StepFunctionsService start(String name, URI moto, SqsClient sqs, EcsClient ecs, String suffix,
                                      String jobsLocation, Map<String, String> more) throws Exception {
        return start(name, moto, sqs, ecs, suffix, jobsLocation, more, OrchestratorProcess.plainJava(jar()),
                java.time.Duration.ofSeconds(90));
    }

    /** As above, waiting up to {@code readyWithin} (a registry of many jobs: one state machine each to create). */
    static StepFunctionsService start(String name, URI moto, SqsClient sqs, EcsClient ecs, String suffix,
                                      String jobsLocation, Map<String, String> more, java.time.Duration readyWithin)
            throws Exception {
        return start(name, moto, sqs, ecs, suffix, jobsLocation, more, OrchestratorProcess.plainJava(jar()), readyWithin);
    }

    /** As {@link #start(String, URI, SqsClient, EcsClient, String, String, Map)}, the service run by {@code command}. */
    static StepFunctionsService start(String name, URI moto, SqsClient sqs, EcsClient ecs, String suffix,
                                      String jobsLocation, Map<String, String> more, List<String> command) throws Exception {
        return start(name, moto, sqs, ecs, suffix, jobsLocation, more, command, java.time.Duration.ofSeconds(90));
    }

    /** The service run by {@code command}, waiting up to {@code readyWithin} for it to be ready. */
    static StepFunctionsService start(String name, URI moto, SqsClient sqs, EcsClient ecs, String suffix,
                                      String jobsLocation, Map<String, String> more, List<String> command,
                                      java.time.Duration readyWithin) throws Exception {
        Path target = target();
        String dispatch = sqs.createQueue(r -> r.queueName("skiff-dispatch-" + suffix)).queueUrl();
        String taskEvents = sqs.createQueue(r -> r.queueName("skiff-task-events-" + suffix)).queueUrl();
        MotoCluster cluster = MotoCluster.create(moto, ecs);
        Map<String, String> environment = new HashMap<>(Map.ofEntries(
                Map.entry("SKIFF_ENGINE", "stepfunctions"),
                Map.entry("SKIFF_LAUNCHER", "fargate"),
                Map.entry("SKIFF_FARGATE_CLUSTER", cluster.name()),
                Map.entry("SKIFF_FARGATE_SUBNETS", cluster.subnet()),
                Map.entry("SKIFF_FARGATE_SECURITY_GROUPS", cluster.securityGroup()),
                Map.entry("SKIFF_SFN_ROLE_ARN", ROLE_ARN),
                Map.entry("SKIFF_SFN_TOKEN_KEYS", "benchmark-task-token-key-0123456789abcdef"),
                Map.entry("SKIFF_SFN_DISPATCH_QUEUE_URL", dispatch),
                Map.entry("SKIFF_SFN_TASK_EVENTS_QUEUE_URL", taskEvents),
                // The benchmark plays ECS and sends each STOPPED event itself; a sweep would race it.
                Map.entry("SKIFF_SFN_RECONCILE_INTERVAL", "15m"),
                Map.entry("SKIFF_SFN_HEARTBEAT", "30m"), // at least two sweeps; below the job's timeout
                Map.entry("SKIFF_AWS_ENDPOINT", moto.toString()),
                Map.entry("SKIFF_AWS_REGION", MotoCluster.REGION.id()),
                Map.entry("AWS_ACCESS_KEY_ID", "testing"),
                Map.entry("AWS_SECRET_ACCESS_KEY", "testing"),
                Map.entry("SKIFF_DATA_DIR", Files.createTempDirectory(target, name + "-data-").toString()),
                Map.entry("SKIFF_JOBS_LOCATION", jobsLocation)));
        environment.putAll(more);
        Path log = target.resolve(name + "-service.log");
        return new StepFunctionsService(OrchestratorProcess.start(command, environment, log, readyWithin), cluster, taskEvents,
                log);
    }

    /** Plays EventBridge for the service's cluster: STOPPED events to its task-events queue. */
    EcsEvents ecsEvents(EcsClient ecs, SqsClient sqs) {
        return new EcsEvents(ecs, cluster.name(), sqs, taskEventsQueue);
    }

    @Override
    public void close() throws InterruptedException {
        process.close();
        System.out.printf("  service log                 %s%n", log);
    }

    static SfnClient sfn(URI moto) {
        return SfnClient.builder().endpointOverride(moto).region(MotoCluster.REGION).credentialsProvider(CREDENTIALS).build();
    }

    static EventBridgeClient eventBridge(URI moto) {
        return EventBridgeClient.builder().endpointOverride(moto).region(MotoCluster.REGION).credentialsProvider(CREDENTIALS)
                .build();
    }

    static SqsClient sqs(URI moto) {
        return SqsClient.builder().endpointOverride(moto).region(MotoCluster.REGION).credentialsProvider(CREDENTIALS).build();
    }

    /** Buckets by path, as emulators serve them. */
    static S3Client s3(URI moto) {
        return S3Client.builder().endpointOverride(moto).region(MotoCluster.REGION).credentialsProvider(CREDENTIALS)
                .forcePathStyle(true).build();
    }

    /** The state machine the service creates for a job ({@code skiff-<job>}), once it has. */
    static String awaitStateMachine(SfnClient sfn, String name) throws InterruptedException {
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < giveUp) {
            var found = sfn.listStateMachinesPaginator(r -> r.maxResults(1000)).stateMachines().stream()
                    .filter(m -> m.name().equals(name)).map(StateMachineListItem::stateMachineArn).findFirst();
            if (found.isPresent()) {
                return found.get();
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("the service did not create state machine " + name + " within 30 s");
    }

    /** How many executions of the machine have the status. */
    static int count(SfnClient sfn, String machine, ExecutionStatus status) {
        return (int) sfn.listExecutionsPaginator(r -> r.stateMachineArn(machine).statusFilter(status).maxResults(1000))
                .executions().stream().count();
    }

    /** benchmarks/target, created if need be. */
    static Path target() throws java.io.IOException {
        return Files.createDirectories(repositoryRoot().resolve("benchmarks/target"));
    }

    static Path jar() {
        Path jar = repositoryRoot().resolve("orchestrator/service/target/quarkus-app/quarkus-run.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: run the benchmarks with -am, which packages the orchestrator");
        }
        return jar;
    }

    /** The directory holding the parent pom, whether Maven runs us from the module or the repository root. */
    static Path repositoryRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("mvnw"))) {
                return dir;
            }
        }
        throw new IllegalStateException("cannot find the repository (mvnw) from " + Path.of("").toAbsolutePath());
    }
}
