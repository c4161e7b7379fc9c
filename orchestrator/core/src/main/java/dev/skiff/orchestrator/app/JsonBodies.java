package dev.skiff.orchestrator.app;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.skiff.orchestrator.domain.MalformedRequestException;

/** JSON request bodies read into a tree, with the parser's reason (and where) when they are not JSON. */
public final class JsonBodies {

    private final ObjectMapper mapper;

    public JsonBodies(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    public JsonNode read(String body) {
        try {
            JsonNode root = mapper.readTree(body);
            if (root == null || root.isMissingNode()) {
                throw new MalformedRequestException("the body is empty: expected a JSON object");
            }
            return root;
        } catch (JsonProcessingException e) {
            throw new MalformedRequestException("the body is not JSON: " + reason(e));
        }
    }

    /** The parser's own words and, when it knows it, the line and column; a limit breached has no location. */
    static String reason(JsonProcessingException e) {
        JsonLocation at = e.getLocation();
        String where = at == null || at.getLineNr() < 1 ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
        return e.getOriginalMessage() + where;
    }

    /** What a node is, in words: "a list", "null", ... */
    public static String kind(JsonNode node) {
        return switch (node.getNodeType()) {
            case ARRAY -> "a list";
            case OBJECT -> "an object";
            case NULL -> "null";
            case STRING -> "text";
            case NUMBER -> "a number";
            case BOOLEAN -> "true/false";
            default -> node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
        };
    }
}
