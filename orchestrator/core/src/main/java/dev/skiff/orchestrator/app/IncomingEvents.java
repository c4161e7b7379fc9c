package dev.skiff.orchestrator.app;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.orchestrator.domain.MalformedRequestException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Reads what {@code POST /events} receives into EventBridge events: either one event as EventBridge
 * delivers it ({@code source}, {@code detail-type}, {@code detail}, {@code id}), or a PutEvents
 * request ({@code {"Entries": [{"Source", "DetailType", "Detail"}]}}), whose entries get fresh ids
 * as EventBridge gives them.
 */
final class IncomingEvents {

    /** An event ready to match, and whether the caller sent it as a single event or in a batch. */
    record Parsed(List<ObjectNode> events, boolean batch) {
    }

    private final ObjectMapper mapper;
    private final Clock clock;

    IncomingEvents(ObjectMapper mapper, Clock clock) {
        this.mapper = mapper;
        this.clock = clock;
    }

    /**
     * @param root           the body, read; an event in it is completed in place (its id, an empty detail)
     * @param idempotencyKey when present, the id of the event (key#index for a batch's entries), whatever the body says
     */
    Parsed parse(JsonNode root, Optional<String> idempotencyKey) {
        if (!root.isObject()) {
            throw new MalformedRequestException("the body must be a JSON object: one EventBridge event, or {\"Entries\": [...]}");
        }
        if (root.has("Entries")) {
            return new Parsed(entries(root.get("Entries"), idempotencyKey), true);
        }
        return new Parsed(List.of(single((ObjectNode) root, idempotencyKey)), false);
    }

    private ObjectNode single(ObjectNode event, Optional<String> idempotencyKey) {
        require(event, "source", "");
        require(event, "detail-type", "");
        if (idempotencyKey.isPresent()) {
            event.put("id", idempotencyKey.get());
        } else if (!event.hasNonNull("id")) {
            event.put("id", UUID.randomUUID().toString());
        }
        return withDetail(event);
    }

    /**
     * One plain event whose text was checked already ({@link EventEnvelope}: its id is text or missing), read into the
     * tree {@link #parse} would have made of it: with the id the intake chose for it, and an empty detail when it has
     * none.
     */
    ObjectNode complete(JsonNode root, String id) {
        ObjectNode event = (ObjectNode) root;
        if (!event.hasNonNull("id") || !event.get("id").asText().equals(id)) {
            event.put("id", id);
        }
        return withDetail(event);
    }

    private static ObjectNode withDetail(ObjectNode event) {
        if (!event.has("detail")) {
            event.putObject("detail");
        }
        return event;
    }

    private List<ObjectNode> entries(JsonNode entries, Optional<String> idempotencyKey) {
        if (!entries.isArray() || entries.isEmpty() || entries.size() > 10) {
            throw new MalformedRequestException("Entries: must be an array of 1 to 10 entries, as in PutEvents");
        }
        var events = new ArrayList<ObjectNode>();
        for (int i = 0; i < entries.size(); i++) {
            JsonNode entry = entries.get(i);
            String where = "Entries[" + i + "].";
            if (!entry.isObject()) {
                throw new MalformedRequestException(where.substring(0, where.length() - 1) + ": must be an object");
            }
            require(entry, "Source", where);
            require(entry, "DetailType", where);
            ObjectNode event = mapper.createObjectNode();
            event.put("version", "0");
            int index = i;
            event.put("id", idempotencyKey.map(key -> key + "#" + index).orElseGet(() -> UUID.randomUUID().toString()));
            event.put("detail-type", entry.get("DetailType").asText());
            event.put("source", entry.get("Source").asText());
            event.put("account", "000000000000");
            event.put("time", entry.hasNonNull("Time") ? entry.get("Time").asText() : clock.instant().toString());
            event.put("region", "local");
            event.set("resources", entry.has("Resources") ? entry.get("Resources") : mapper.createArrayNode());
            event.set("detail", detail(entry, where));
            events.add(event);
        }
        return events;
    }

    /** PutEvents carries Detail as a JSON string; accept an object too, since people write that by hand. */
    private JsonNode detail(JsonNode entry, String where) {
        JsonNode detail = entry.get("Detail");
        if (detail == null || detail.isNull()) {
            return mapper.createObjectNode();
        }
        if (detail.isObject()) {
            return detail;
        }
        try {
            JsonNode parsed = mapper.readTree(detail.asText());
            if (parsed != null && parsed.isObject()) {
                return parsed;
            }
        } catch (JsonProcessingException e) {
            // reported below with the field's path
        }
        throw new MalformedRequestException(where + "Detail: must be a JSON object (or a string holding one)");
    }

    private static void require(JsonNode node, String field, String where) {
        if (!node.hasNonNull(field) || !node.get(field).isTextual() || node.get(field).asText().isBlank()) {
            throw new MalformedRequestException(where + field + ": is required and must be a non-empty string");
        }
    }
}
