package dev.skiff.trigger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A webhook's body: {@code {"job": "...", "parameters": {"NAME": "value"}, "idempotencyKey": "..."}}.
 * Parameter values are strings; numbers and booleans are taken as their text.
 */
record WebhookRequest(String job, Map<String, String> parameters, Optional<String> idempotencyKey) {

    static final int MAX_IDEMPOTENCY_KEY = 256;
    private static final Pattern JOB_NAME = Pattern.compile("[a-z0-9](?:[a-z0-9-]{0,46}[a-z0-9])?");
    private static final List<String> FIELDS = List.of("idempotencyKey", "job", "parameters");

    WebhookRequest {
        parameters = Map.copyOf(parameters);
    }

    /**
     * @throws RequestRejectedException 400 when the body is not a JSON object, 422 listing every bad field
     */
    static WebhookRequest parse(String body) {
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw new RequestRejectedException(400, "the body is not JSON: " + e.getOriginalMessage()
                    + " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")");
        }
        if (root == null || !root.isObject()) {
            throw new RequestRejectedException(400,
                    "the body must be a JSON object: {\"job\": \"...\", \"parameters\": {...}, \"idempotencyKey\": \"...\"}");
        }
        var problems = new ArrayList<String>();
        root.fieldNames().forEachRemaining(name -> {
            if (!FIELDS.contains(name)) {
                problems.add(name + ": is not a known field (known: " + String.join(", ", FIELDS) + ")");
            }
        });
        String job = job(root.get("job"), problems);
        Map<String, String> parameters = parameters(root.get("parameters"), problems);
        Optional<String> key = idempotencyKey(root.get("idempotencyKey"), problems);
        if (!problems.isEmpty()) {
            throw new RequestRejectedException(422, "the request is not valid", problems);
        }
        return new WebhookRequest(job, parameters, key);
    }

    private static String job(JsonNode node, List<String> problems) {
        if (node == null || node.isNull()) {
            problems.add("job: is required");
            return null;
        }
        if (!node.isTextual() || !JOB_NAME.matcher(node.asText()).matches()) {
            problems.add("job: " + node + " must be a job name: 1-48 lowercase letters, digits and '-'");
            return null;
        }
        return node.asText();
    }

    private static Map<String, String> parameters(JsonNode node, List<String> problems) {
        var values = new LinkedHashMap<String, String>();
        if (node == null || node.isNull()) {
            return values;
        }
        if (!node.isObject()) {
            problems.add("parameters: must be an object of names to values");
            return values;
        }
        node.fields().forEachRemaining(field -> {
            JsonNode value = field.getValue();
            if (value.isTextual() || value.isNumber() || value.isBoolean()) {
                values.put(field.getKey(), value.asText());
            } else {
                problems.add("parameters." + field.getKey() + ": " + value + " must be a string, number or boolean");
            }
        });
        return values;
    }

    private static Optional<String> idempotencyKey(JsonNode node, List<String> problems) {
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        if (!node.isTextual() || node.asText().isEmpty() || node.asText().length() > MAX_IDEMPOTENCY_KEY) {
            problems.add("idempotencyKey: must be a string of 1 to " + MAX_IDEMPOTENCY_KEY + " characters");
            return Optional.empty();
        }
        return Optional.of(node.asText());
    }
}
