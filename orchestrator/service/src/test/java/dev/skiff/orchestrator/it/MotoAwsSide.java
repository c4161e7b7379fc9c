package dev.skiff.orchestrator.it;

import dev.skiff.orchestrator.adapter.ecs.EcsProxy;
import dev.skiff.testing.EcsEvents;
import dev.skiff.testing.MotoNetwork;
import dev.skiff.testing.MotoServer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.DesiredStatus;
import software.amazon.awssdk.services.ecs.model.KeyValuePair;
import software.amazon.awssdk.services.ecs.model.Task;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The AWS side of AWS mode on moto, for a test of the packaged orchestrator: its own dispatch and task-events queues,
 * ECS cluster and network, and the configuration that points the service at them. Once {@link #playEcs} is called,
 * the test plays ECS's EventBridge rule: every task that appears ends at once with exit code 0, and its STOPPED
 * event is sent. The service reaches moto through a proxy that gives RunTask ECS's client-token idempotency, which moto
 * lacks: a launch request delivered twice (its visibility timeout ran out while the first delivery waited for the
 * RunTask rate limiter) sends RunTask twice with the same client token, and ECS, unlike moto, starts no second
 * task: it answers the repeat with the first task, or, as here where each delivery seals the task token afresh, refuses
 * it with a ConflictException naming that task, which the launcher then takes.
 */
final class MotoAwsSide implements AutoCloseable {

    private static final Region REGION = Region.US_EAST_1;
    private static final StaticCredentialsProvider CREDENTIALS =
            StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing"));

    final MotoServer moto = MotoServer.shared();
    /** Where the service sends every AWS call: moto, with RunTask idempotent by client token as on ECS. */
    private final EcsProxy likeEcs = EcsProxy.likeEcs(moto.endpoint());
    final String suffix = UUID.randomUUID().toString().substring(0, 8);
    final SqsClient sqs = SqsClient.builder().endpointOverride(moto.endpoint()).region(REGION).credentialsProvider(CREDENTIALS).build();
    final EcsClient ecs = EcsClient.builder().endpointOverride(moto.endpoint()).region(REGION).credentialsProvider(CREDENTIALS).build();
    final String cluster = "skiff-" + suffix;
    private final String dispatch;
    private final String taskEvents;
    private final MotoNetwork network;
    private final ScheduledExecutorService ecsEvents = Executors.newSingleThreadScheduledExecutor();

    MotoAwsSide() {
        moto.enableStepFunctionsExecution();
        dispatch = sqs.createQueue(r -> r.queueName("dispatch-" + suffix)).queueUrl();
        taskEvents = sqs.createQueue(r -> r.queueName("task-events-" + suffix)).queueUrl();
        network = MotoNetwork.create(moto.endpoint(), REGION.id());
        ecs.createCluster(r -> r.clusterName(cluster).capacityProviders("FARGATE", "FARGATE_SPOT"));
    }

    /** The service's configuration for AWS mode on these parts; a test adds its own keys to it. */
    Map<String, String> config() {
        return new HashMap<>(Map.ofEntries(
                Map.entry("skiff.engine", "stepfunctions"),
                Map.entry("skiff.launcher", "fargate"),
                Map.entry("skiff.fargate.cluster", cluster),
                Map.entry("skiff.fargate.subnets", network.subnetId()),
                Map.entry("skiff.fargate.security-groups", network.securityGroupId()),
                Map.entry("skiff.sfn.role-arn", "arn:aws:iam::123456789012:role/skiff-state-machines"),
                Map.entry("skiff.sfn.token-keys", "crash-test-task-token-key-0123456789abcdef"),
                Map.entry("skiff.sfn.dispatch-queue-url", dispatch),
                Map.entry("skiff.sfn.task-events-queue-url", taskEvents),
                // A message whose consumer was killed comes back after this, not after minutes.
                Map.entry("skiff.sfn.dispatch-visibility-timeout", "5s"),
                Map.entry("skiff.sfn.task-events-visibility-timeout", "5s"),
                Map.entry("skiff.aws.endpoint", likeEcs.endpoint().toString()),
                Map.entry("skiff.aws.region", REGION.id()),
                Map.entry("aws.accessKeyId", "testing"),
                Map.entry("aws.secretAccessKey", "testing")));
    }

    /** From now on, every 200 ms: stops each new task with exit code 0 and sends its STOPPED event. */
    void playEcs() {
        EcsEvents events = new EcsEvents(ecs, cluster, sqs, taskEvents);
        ecsEvents.scheduleWithFixedDelay(() -> {
            try {
                events.stopNewTasks(0);
            } catch (RuntimeException e) { // a failed round must not end the schedule: the next one retries
                System.err.println("sending ECS events failed, trying again: " + e);
            }
        }, 200, 200, TimeUnit.MILLISECONDS);
    }

    /** Every task of the cluster, running or stopped. */
    List<Task> allTasks() {
        List<String> arns = new ArrayList<>();
        for (DesiredStatus status : List.of(DesiredStatus.RUNNING, DesiredStatus.STOPPED)) {
            ecs.listTasksPaginator(r -> r.cluster(cluster).desiredStatus(status)).taskArns().forEach(arns::add);
        }
        List<Task> tasks = new ArrayList<>();
        for (int from = 0; from < arns.size(); from += 100) {
            List<String> batch = arns.subList(from, Math.min(arns.size(), from + 100));
            tasks.addAll(ecs.describeTasks(r -> r.cluster(cluster).tasks(batch)).tasks());
        }
        return tasks;
    }

    static String runIdOf(Task task) {
        return task.overrides().containerOverrides().stream().flatMap(o -> o.environment().stream())
                .filter(pair -> "SKIFF_RUN_ID".equals(pair.name())).map(KeyValuePair::value).findFirst().orElse("?");
    }

    @Override
    public void close() {
        ecsEvents.shutdownNow();
        sqs.close();
        ecs.close();
        likeEcs.close();
    }
}
