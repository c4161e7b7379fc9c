package dev.skiff.infra;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Renders CloudFormation values as text: {@code Ref} and {@code Fn::GetAtt} become {@code ${Name}} and {@code ${Name.Attr}}. */
final class Cfn {

    private Cfn() {
    }

    static String text(JsonNode node) {
        return text(node, Map.of());
    }

    /** With the given values for references (like {@code AWS::AccountId} or {@code Cluster.Arn}). */
    static String text(JsonNode node, Map<String, String> values) {
        if (node.isTextual() || node.isNumber() || node.isBoolean()) {
            return node.asText();
        }
        if (node.has("Ref")) {
            String name = node.get("Ref").asText();
            return values.getOrDefault(name, "${" + name + "}");
        }
        if (node.has("Fn::GetAtt")) {
            String name = node.get("Fn::GetAtt").get(0).asText() + "." + node.get("Fn::GetAtt").get(1).asText();
            return values.getOrDefault(name, "${" + name + "}");
        }
        if (node.has("Fn::Join")) {
            StringBuilder joined = new StringBuilder();
            String delimiter = node.get("Fn::Join").get(0).asText();
            JsonNode parts = node.get("Fn::Join").get(1);
            for (int i = 0; i < parts.size(); i++) {
                joined.append(i == 0 ? "" : delimiter).append(text(parts.get(i), values));
            }
            return joined.toString();
        }
        return node.toString();
    }

    /** The same JSON with every intrinsic function replaced by its text, given values for the references. */
    static JsonNode concrete(JsonNode node, Map<String, String> values) {
        if (node.isObject() && (node.has("Ref") || node.has("Fn::GetAtt") || node.has("Fn::Join"))) {
            return TextNode.valueOf(text(node, values));
        }
        if (node.isObject()) {
            ObjectNode copy = Synthesized.JSON.createObjectNode();
            node.fields().forEachRemaining(field -> copy.set(field.getKey(), concrete(field.getValue(), values)));
            return copy;
        }
        if (node.isArray()) {
            ArrayNode copy = Synthesized.JSON.createArrayNode();
            node.forEach(item -> copy.add(concrete(item, values)));
            return copy;
        }
        return node;
    }

    /** A single value or a list of values, as texts. */
    static List<String> texts(JsonNode node) {
        List<String> texts = new ArrayList<>();
        if (node.isArray()) {
            node.forEach(item -> texts.add(text(item)));
        } else if (!node.isMissingNode()) {
            texts.add(text(node));
        }
        return texts;
    }
}
