package dev.skiff.jobs;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * How Skiff signs a webhook body, declared once for both directions: the trigger checks the webhooks it receives with
 * it, and the orchestrator signs the notifications it sends with it. Header {@value #SIGNATURE_HEADER} is
 * {@code sha256=<hex HMAC-SHA256>} of {@code <timestamp> "." <raw body>} keyed with the shared secret, and header
 * {@value #TIMESTAMP_HEADER} is that timestamp in Unix seconds, so a receiver can refuse a stale (replayed) request.
 */
public final class SkiffSignature {

    public static final String TIMESTAMP_HEADER = "x-skiff-timestamp";
    public static final String SIGNATURE_HEADER = "x-skiff-signature";
    public static final String SCHEME = "sha256=";

    private SkiffSignature() {
    }

    /** The header value a sender sends: {@code sha256=} and the lowercase hex HMAC. */
    public static String sign(String secret, String timestamp, byte[] body) {
        return SCHEME + HexFormat.of().formatHex(hmac(secret, timestamp, body));
    }

    /** The raw HMAC-SHA256 of {@code <timestamp> "." <body>}. */
    public static byte[] hmac(String secret, String timestamp, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update(timestamp.getBytes(StandardCharsets.US_ASCII));
            mac.update((byte) '.');
            return mac.doFinal(body);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }
}
