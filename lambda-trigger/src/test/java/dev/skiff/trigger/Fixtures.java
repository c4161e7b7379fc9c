package dev.skiff.trigger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

/** Real event payloads from src/test/resources/fixtures, and the values they were signed with. */
final class Fixtures {

    static final String SECRET = "test-signing-secret";
    /** x-skiff-timestamp of apigw-v2-webhook.json. */
    static final String SIGNED_AT = "1795680000";
    /** 30 seconds after the webhook fixture was signed. */
    static final Instant NOW = Instant.ofEpochSecond(Long.parseLong(SIGNED_AT)).plusSeconds(30);
    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    private Fixtures() {
    }

    static ObjectNode json(String name) {
        try (InputStream in = Fixtures.class.getResourceAsStream("/fixtures/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + name);
            }
            return (ObjectNode) Json.MAPPER.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String text(String name) {
        return Json.write(json(name));
    }

    /** The webhook fixture with this body, timestamp and a signature made with {@code secret}. */
    static ObjectNode webhook(String body, String timestamp, String secret) {
        ObjectNode request = json("apigw-v2-webhook.json");
        request.put("body", body);
        ObjectNode headers = (ObjectNode) request.get("headers");
        headers.put("x-skiff-timestamp", timestamp);
        headers.put("x-skiff-signature", WebhookSignature.sign(secret, timestamp, body.getBytes(StandardCharsets.UTF_8)));
        return request;
    }

    static ObjectNode webhook(String body) {
        return webhook(body, SIGNED_AT, SECRET);
    }

    static Path specsDirectory() {
        try {
            return Path.of(Fixtures.class.getResource("/specs").toURI());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static JsonNode body(com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse response) {
        return Json.tryRead(response.getBody()).orElseThrow();
    }
}
