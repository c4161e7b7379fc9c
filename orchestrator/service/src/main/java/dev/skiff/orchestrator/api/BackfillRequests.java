package dev.skiff.orchestrator.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.skiff.orchestrator.app.BackfillService;
import dev.skiff.orchestrator.app.JsonBodies;
import dev.skiff.orchestrator.domain.InvalidRequestException;
import dev.skiff.orchestrator.domain.MalformedRequestException;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Reads the body of {@code POST /jobs/{name}/backfill}
 * ({@code {"from", "to", "schedule", "maxConcurrency", "onlyMissing"}}) with a message naming each field of the wrong
 * kind; what the values mean is {@link BackfillService}'s to check.
 */
@ApplicationScoped
public class BackfillRequests {

    private static final Set<String> FIELDS = Set.of("from", "to", "schedule", "maxConcurrency", "onlyMissing");

    private final JsonBodies bodies;

    public BackfillRequests(ObjectMapper mapper) {
        this.bodies = new JsonBodies(mapper);
    }

    public BackfillService.Request read(String body) {
        if (body == null || body.isBlank()) {
            throw new MalformedRequestException("the body is empty: expected a JSON object like"
                    + " {\"from\": \"2026-11-01\", \"to\": \"2026-12-01\", \"maxConcurrency\": 3}");
        }
        JsonNode root = bodies.read(body);
        if (!root.isObject()) {
            throw new MalformedRequestException("the body must be a JSON object like"
                    + " {\"from\": \"2026-11-01\", \"to\": \"2026-12-01\"}, not " + JsonBodies.kind(root));
        }
        List<String> unknown = new ArrayList<>();
        root.fieldNames().forEachRemaining(field -> {
            if (!FIELDS.contains(field)) {
                unknown.add(field);
            }
        });
        if (!unknown.isEmpty()) {
            throw new MalformedRequestException(String.join(", ", unknown)
                    + ": not a known field (known: from, to, schedule, maxConcurrency, onlyMissing)");
        }
        List<String> problems = new ArrayList<>();
        var request = new BackfillService.Request(text(root, "from", problems), text(root, "to", problems),
                whole(root, "schedule", problems), whole(root, "maxConcurrency", problems),
                flag(root, "onlyMissing", problems));
        if (!problems.isEmpty()) {
            throw new InvalidRequestException("the backfill request has fields of the wrong kind", problems);
        }
        return request;
    }

    private static boolean absent(JsonNode node) {
        return node.isMissingNode() || node.isNull();
    }

    private static String text(JsonNode root, String field, List<String> problems) {
        JsonNode node = root.path(field);
        if (absent(node)) {
            return null;
        }
        if (!node.isTextual()) {
            problems.add(field + ": must be text (a date like 2026-11-01 or an instant like 2026-11-01T00:00:00Z), not "
                    + JsonBodies.kind(node));
            return null;
        }
        return node.textValue();
    }

    private static Integer whole(JsonNode root, String field, List<String> problems) {
        JsonNode node = root.path(field);
        if (absent(node)) {
            return null;
        }
        if (!node.isIntegralNumber() || !node.canConvertToInt()) {
            problems.add(field + ": must be a whole number, not " + (node.isNumber() ? node.asText() : JsonBodies.kind(node)));
            return null;
        }
        return node.intValue();
    }

    private static Boolean flag(JsonNode root, String field, List<String> problems) {
        JsonNode node = root.path(field);
        if (absent(node)) {
            return null;
        }
        if (!node.isBoolean()) {
            problems.add(field + ": must be true or false, not " + JsonBodies.kind(node));
            return null;
        }
        return node.booleanValue();
    }
}
