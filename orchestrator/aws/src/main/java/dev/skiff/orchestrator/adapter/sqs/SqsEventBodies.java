package dev.skiff.orchestrator.adapter.sqs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.orchestrator.app.JsonBodies;
import dev.skiff.orchestrator.domain.MalformedRequestException;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * Makes an SQS message's body start the same runs however often SQS delivers it. Run ids come from the
 * event's source and id; EventBridge always sets an id, but an event sent to the queue by hand may have
 * none, and the intake would then invent a new one on each delivery. Such an event gets the SQS message
 * id, which stays the same across deliveries. A PutEvents request is refused for the same reason: its
 * entries get new ids each time they are read.
 */
final class SqsEventBodies {

    private final JsonBodies bodies;

    SqsEventBodies(ObjectMapper mapper) {
        this.bodies = new JsonBodies(mapper);
    }

    /**
     * The event to hand to the intake, read once. A body that is not a JSON object passes as read, for the intake to
     * explain; one that is not JSON at all is refused here with the parser's reason.
     */
    JsonNode forIntake(Message message) {
        JsonNode root = bodies.read(message.body());
        if (!root.isObject()) {
            return root;
        }
        if (root.has("Entries")) {
            throw new MalformedRequestException("an SQS message must hold one EventBridge event, as an EventBridge rule"
                    + " delivers it, not a PutEvents request {\"Entries\": [...]}");
        }
        if (!root.hasNonNull("id")) {
            ((ObjectNode) root).put("id", message.messageId());
        }
        return root;
    }
}
