package dev.skiff.orchestrator.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.skiff.orchestrator.app.JsonBodies;
import dev.skiff.orchestrator.domain.InvalidRequestException;
import dev.skiff.orchestrator.domain.MalformedRequestException;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the body of {@code POST /jobs/{name}/runs} ({@code {"parameters": {"NAME": "value"}}}, every part optional)
 * with a message for each way it can be wrong, rather than letting data binding fail without one.
 */
@ApplicationScoped
public class RunRequests {

    private final JsonBodies bodies;

    public RunRequests(ObjectMapper mapper) {
        this.bodies = new JsonBodies(mapper);
    }

    /** The parameters the body gives; empty for an empty body. */
    public Map<String, String> parameters(String body) {
        if (body == null || body.isBlank()) {
            return Map.of();
        }
        JsonNode root = bodies.read(body);
        if (!root.isObject()) {
            throw new MalformedRequestException("the body must be a JSON object like {\"parameters\": {\"NAME\": \"value\"}}");
        }
        var unknown = new ArrayList<String>();
        root.fieldNames().forEachRemaining(field -> {
            if (!field.equals("parameters")) {
                unknown.add(field);
            }
        });
        if (!unknown.isEmpty()) {
            throw new MalformedRequestException(String.join(", ", unknown) + ": not a known field (known: parameters)");
        }
        JsonNode parameters = root.path("parameters");
        if (parameters.isMissingNode() || parameters.isNull()) {
            return Map.of();
        }
        if (!parameters.isObject()) {
            throw new MalformedRequestException("parameters: must be an object of parameter name to text, not "
                    + JsonBodies.kind(parameters));
        }
        Map<String, String> values = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        parameters.fields().forEachRemaining(field -> {
            JsonNode value = field.getValue();
            if (value.isTextual()) {
                values.put(field.getKey(), value.textValue());
            } else if (value.isNumber() || value.isBoolean()) {
                values.put(field.getKey(), value.asText());
            } else {
                problems.add("parameters." + field.getKey() + ": must be text (or a number or true/false), not "
                        + JsonBodies.kind(value));
            }
        });
        if (!problems.isEmpty()) {
            throw new InvalidRequestException("the parameters are not all text", problems);
        }
        return values;
    }
}
