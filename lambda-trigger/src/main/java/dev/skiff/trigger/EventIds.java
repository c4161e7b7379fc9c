package dev.skiff.trigger;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Deterministic event ids: {@code <kind>-<40 hex of sha256(parts joined by "\n")>}. Only values
 * that a retried delivery repeats go in (an S3 sequencer, an SNS MessageId, an idempotency key),
 * never the time of receipt or a request id, so every retry yields the same id.
 */
final class EventIds {

    private static final int HEX_CHARS = 40;

    private EventIds() {
    }

    static String of(String kind, String... parts) {
        return kind + "-" + sha256Hex(String.join("\n", parts)).substring(0, HEX_CHARS);
    }

    static String sha256Hex(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}
