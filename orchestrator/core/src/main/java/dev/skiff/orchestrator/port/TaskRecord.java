package dev.skiff.orchestrator.port;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Optional;

/**
 * A task of a step's attempt that the execution's history cannot show by itself: one Fargate Spot interrupted (the
 * attempt ran again in another task, under the same token, so Step Functions never heard of it), or the task of an
 * attempt that failed (its SendTaskFailure cause names it, but an emulator may drop the cause).
 *
 * @param item the item's index for a task of a forEach step; {@link TaskRequest#NO_ITEM} for a step that runs once
 */
public record TaskRecord(String step, int item, int attempt, Kind kind, TaskReport task) {

    /** A record of a step that runs once (every record before pipelines). */
    public TaskRecord(String step, int attempt, Kind kind, TaskReport task) {
        this(step, TaskRequest.NO_ITEM, attempt, kind, task);
    }

    /** Why the task is kept. */
    public enum Kind {
        /** Spot took the capacity back; the attempt ran again in another task. */
        INTERRUPTED,
        /** The attempt's task ended in a failure, which was answered with SendTaskFailure. */
        FAILED
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The record as the stores keep it: one small JSON object. */
    public String toJson() {
        ObjectNode node = JSON.createObjectNode();
        node.put("step", step);
        if (item != TaskRequest.NO_ITEM) {
            node.put("item", item);
        }
        node.put("attempt", attempt);
        node.put("kind", kind.name());
        node.put("taskArn", task.taskArn());
        node.put("capacity", task.capacity());
        task.startedAt().ifPresent(t -> node.put("startedAt", t.toString()));
        task.stoppedAt().ifPresent(t -> node.put("stoppedAt", t.toString()));
        task.costUsd().ifPresent(c -> node.put("costUsd", c.toPlainString())); // text: exact, scale kept
        return node.toString();
    }

    /** Empty for a text that is not a record (a person's file in the folder, a truncated write). */
    public static Optional<TaskRecord> fromJson(String text) {
        try {
            JsonNode node = JSON.readTree(text);
            Kind kind = Kind.valueOf(node.path("kind").asText());
            if (!node.path("step").isTextual() || !node.path("attempt").canConvertToInt() || !node.path("taskArn").isTextual()) {
                return Optional.empty();
            }
            TaskReport task = new TaskReport(node.get("taskArn").asText(), node.path("capacity").asText("unknown"),
                    instant(node, "startedAt"), instant(node, "stoppedAt"),
                    node.hasNonNull("costUsd") ? Optional.of(new BigDecimal(node.get("costUsd").asText())) : Optional.empty());
            int item = node.path("item").canConvertToInt() ? node.get("item").asInt() : TaskRequest.NO_ITEM;
            return Optional.of(new TaskRecord(node.get("step").asText(), item, node.get("attempt").asInt(), kind, task));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The record's name among its run's: unique per task, so keeping it again overwrites it. */
    public String name() {
        String taskId = task.taskArn().substring(task.taskArn().lastIndexOf('/') + 1);
        String unit = item == TaskRequest.NO_ITEM ? step : step + "[" + item + "]";
        return unit + "/" + attempt + "/" + kind.name().toLowerCase(java.util.Locale.ROOT) + "-" + taskId + ".json";
    }

    private static Optional<Instant> instant(JsonNode node, String field) {
        return node.hasNonNull(field) ? Optional.of(Instant.parse(node.get(field).asText())) : Optional.empty();
    }
}
