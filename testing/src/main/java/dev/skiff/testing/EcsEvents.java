package dev.skiff.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.Container;
import software.amazon.awssdk.services.ecs.model.ContainerOverride;
import software.amazon.awssdk.services.ecs.model.KeyValuePair;
import software.amazon.awssdk.services.ecs.model.Task;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/**
 * Plays EventBridge for ECS, which moto does not: turns a task document into the "ECS Task State Change" event
 * ECS would send for it, as EventBridge delivers it to an SQS queue, and sends such events for tasks of a cluster.
 */
public final class EcsEvents {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int BATCH = 10;

    private final EcsClient ecs;
    private final String cluster;
    private final SqsClient sqs;
    private final String queueUrl;
    private final Set<String> stopped = new HashSet<>();

    /** Sends events for tasks of {@code cluster} to {@code queueUrl}. */
    public EcsEvents(EcsClient ecs, String cluster, SqsClient sqs, String queueUrl) {
        this.ecs = ecs;
        this.cluster = cluster;
        this.sqs = sqs;
        this.queueUrl = queueUrl;
    }

    /**
     * Ends every task of the cluster not ended before, as if its container exited with {@code exitCode} now:
     * sends each one's STOPPED event. Returns the tasks it ended.
     */
    public List<Task> stopNewTasks(int exitCode) {
        List<String> arns = new ArrayList<>();
        ecs.listTasksPaginator(r -> r.cluster(cluster)).taskArns().forEach(arns::add);
        arns.removeIf(stopped::contains);
        List<Task> ended = new ArrayList<>();
        for (int from = 0; from < arns.size(); from += 100) {
            List<String> batch = arns.subList(from, Math.min(arns.size(), from + 100));
            for (Task task : ecs.describeTasks(r -> r.cluster(cluster).tasks(batch)).tasks()) {
                ended.add(exited(task, exitCode));
            }
        }
        send(ended, 3);
        ended.forEach(t -> stopped.add(t.taskArn()));
        return ended;
    }

    /** Sends one event per task, as ECS numbers the change {@code version}. */
    public void send(List<Task> tasks, long version) {
        for (int from = 0; from < tasks.size(); from += BATCH) {
            List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
            for (int i = from; i < Math.min(tasks.size(), from + BATCH); i++) {
                entries.add(SendMessageBatchRequestEntry.builder().id(Integer.toString(i))
                        .messageBody(stateChange(tasks.get(i), version)).build());
            }
            sqs.sendMessageBatch(r -> r.queueUrl(queueUrl).entries(entries));
        }
    }

    /** The task as ECS shows it once its container exited with {@code code}: stopped now, having run a second. */
    public static Task exited(Task task, int code) {
        Instant now = Instant.now();
        return task.toBuilder().lastStatus("STOPPED").desiredStatus("STOPPED").stopCode("EssentialContainerExited")
                .stoppedReason("Essential container in task exited")
                .pullStartedAt(Optional.ofNullable(task.pullStartedAt()).orElse(now.minusSeconds(1)))
                .startedAt(Optional.ofNullable(task.startedAt()).orElse(now.minusSeconds(1)))
                .stoppedAt(now)
                .containers(task.containers().stream().map(c -> c.toBuilder().exitCode(code).lastStatus("STOPPED").build())
                        .toArray(Container[]::new))
                .build();
    }

    /** An ECS Task State Change event for the task document, as EventBridge delivers it to SQS. */
    public static String stateChange(Task task, long version) {
        ObjectNode event = JSON.createObjectNode();
        event.put("version", "0");
        event.put("id", UUID.randomUUID().toString());
        event.put("detail-type", "ECS Task State Change");
        event.put("source", "aws.ecs");
        event.put("account", "123456789012");
        event.put("time", Instant.now().toString());
        event.put("region", "us-east-1");
        event.putArray("resources").add(task.taskArn());
        ObjectNode detail = event.putObject("detail");
        detail.put("taskArn", task.taskArn());
        detail.put("clusterArn", task.clusterArn());
        detail.put("lastStatus", task.lastStatus());
        detail.put("desiredStatus", task.desiredStatus());
        detail.put("version", version);
        put(detail, "stopCode", task.stopCodeAsString());
        put(detail, "stoppedReason", task.stoppedReason());
        put(detail, "startedBy", task.startedBy());
        put(detail, "capacityProviderName", task.capacityProviderName());
        put(detail, "cpu", task.cpu());
        put(detail, "memory", task.memory());
        Map<String, Instant> times = new TreeMap<>();
        Optional.ofNullable(task.createdAt()).ifPresent(t -> times.put("createdAt", t));
        Optional.ofNullable(task.pullStartedAt()).ifPresent(t -> times.put("pullStartedAt", t));
        Optional.ofNullable(task.startedAt()).ifPresent(t -> times.put("startedAt", t));
        Optional.ofNullable(task.stoppedAt()).ifPresent(t -> times.put("stoppedAt", t));
        times.forEach((field, at) -> detail.put(field, at.toString()));
        ArrayNode containers = detail.putArray("containers");
        for (Container c : task.containers()) {
            ObjectNode container = containers.addObject().put("name", c.name());
            if (c.exitCode() != null) {
                container.put("exitCode", c.exitCode());
            }
            put(container, "reason", c.reason());
            put(container, "lastStatus", c.lastStatus());
        }
        ArrayNode overrides = detail.putObject("overrides").putArray("containerOverrides");
        if (task.overrides() != null) {
            for (ContainerOverride o : task.overrides().containerOverrides()) {
                ArrayNode env = overrides.addObject().put("name", o.name()).putArray("environment");
                for (KeyValuePair pair : o.environment()) {
                    env.addObject().put("name", pair.name()).put("value", pair.value());
                }
            }
        }
        return event.toString();
    }

    private static void put(ObjectNode node, String field, String value) {
        if (value != null) {
            node.put(field, value);
        }
    }
}
