package dev.skiff.orchestrator.adapter.notify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.orchestrator.port.Notification;

/**
 * A webhook notification's body, Slack-compatible: {@code text} is the one line a chat shows, {@code skiff} the run
 * event's detail for a program (Slack ignores fields it does not know).
 */
final class WebhookBody {

    private static final ObjectMapper JSON = new ObjectMapper();

    private WebhookBody() {
    }

    static byte[] of(Notification notification) {
        ObjectNode body = JSON.createObjectNode();
        body.put("text", notification.text());
        body.set("skiff", notification.detail());
        try {
            return JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always writes", e);
        }
    }
}
