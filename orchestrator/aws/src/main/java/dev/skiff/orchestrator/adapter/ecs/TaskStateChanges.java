package dev.skiff.orchestrator.adapter.ecs;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.services.ecs.model.Container;
import software.amazon.awssdk.services.ecs.model.ContainerOverride;
import software.amazon.awssdk.services.ecs.model.KeyValuePair;
import software.amazon.awssdk.services.ecs.model.Task;

/**
 * ECS "Task State Change" events, as EventBridge delivers them: the event's {@code detail} is the task document
 * in the API's own field names, so it becomes the SDK's {@link Task} and {@link TaskOutcomes} reads it exactly as
 * it reads a DescribeTasks answer. Only the fields Skiff reads are carried over.
 */
public final class TaskStateChanges {

    public static final String SOURCE = "aws.ecs";
    public static final String DETAIL_TYPE = "ECS Task State Change";

    /** A task state change: the task, and the event's {@code detail.version} (ECS counts each task's changes up). */
    public record TaskStateChange(Task task, long version) {
    }

    private TaskStateChanges() {
    }

    /**
     * @return empty for any other event (another source or detail-type)
     * @throws IllegalArgumentException for a task state change without a task ARN or status
     */
    public static Optional<TaskStateChange> of(JsonNode event) {
        if (!SOURCE.equals(event.path("source").asText()) || !DETAIL_TYPE.equals(event.path("detail-type").asText())) {
            return Optional.empty();
        }
        JsonNode detail = event.path("detail");
        String arn = detail.path("taskArn").asText("");
        String status = detail.path("lastStatus").asText("");
        if (arn.isBlank() || status.isBlank()) {
            throw new IllegalArgumentException("an ECS Task State Change event without detail.taskArn or detail.lastStatus");
        }
        Task task = Task.builder()
                .taskArn(arn)
                .clusterArn(text(detail, "clusterArn"))
                .taskDefinitionArn(text(detail, "taskDefinitionArn"))
                .lastStatus(status)
                .desiredStatus(text(detail, "desiredStatus"))
                .stopCode(text(detail, "stopCode"))
                .stoppedReason(text(detail, "stoppedReason"))
                .startedBy(text(detail, "startedBy"))
                .capacityProviderName(text(detail, "capacityProviderName"))
                .cpu(text(detail, "cpu"))
                .memory(text(detail, "memory"))
                .createdAt(time(detail, "createdAt"))
                .pullStartedAt(time(detail, "pullStartedAt"))
                .startedAt(time(detail, "startedAt"))
                .stoppedAt(time(detail, "stoppedAt"))
                .version(detail.path("version").asLong(0))
                .containers(containers(detail.path("containers")))
                .overrides(o -> o.containerOverrides(overrides(detail.path("overrides").path("containerOverrides"))))
                .build();
        return Optional.of(new TaskStateChange(task, detail.path("version").asLong(0)));
    }

    private static List<Container> containers(JsonNode containers) {
        List<Container> result = new ArrayList<>();
        for (JsonNode c : containers) {
            result.add(Container.builder()
                    .name(text(c, "name"))
                    .lastStatus(text(c, "lastStatus"))
                    .exitCode(c.hasNonNull("exitCode") ? c.get("exitCode").asInt() : null)
                    .reason(text(c, "reason"))
                    .build());
        }
        return result;
    }

    private static List<ContainerOverride> overrides(JsonNode overrides) {
        List<ContainerOverride> result = new ArrayList<>();
        for (JsonNode o : overrides) {
            List<KeyValuePair> environment = new ArrayList<>();
            for (JsonNode pair : o.path("environment")) {
                environment.add(KeyValuePair.builder().name(text(pair, "name")).value(text(pair, "value")).build());
            }
            result.add(ContainerOverride.builder().name(text(o, "name")).environment(environment).build());
        }
        return result;
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    private static Instant time(JsonNode node, String field) {
        String value = text(node, field);
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("detail." + field + ": " + value + " is not an ISO-8601 instant", e);
        }
    }
}
