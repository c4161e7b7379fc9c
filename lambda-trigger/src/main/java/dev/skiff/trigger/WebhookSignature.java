package dev.skiff.trigger;

import dev.skiff.jobs.SkiffSignature;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * The webhook signature: header {@value #SIGNATURE_HEADER} is {@code sha256=<hex HMAC-SHA256>} of
 * {@code <timestamp> "." <raw body>} keyed with the shared secret, and header {@value #TIMESTAMP_HEADER}
 * is that timestamp in Unix seconds. A timestamp more than {@link #MAX_SKEW} from now is refused, so a
 * captured request cannot be replayed later; within the window a replay publishes the same event id,
 * which the orchestrator deduplicates.
 */
public final class WebhookSignature {

    public static final String TIMESTAMP_HEADER = SkiffSignature.TIMESTAMP_HEADER;
    public static final String SIGNATURE_HEADER = SkiffSignature.SIGNATURE_HEADER;
    public static final Duration MAX_SKEW = Duration.ofMinutes(5);
    private static final String SCHEME = SkiffSignature.SCHEME;
    private static final Pattern UNIX_SECONDS = Pattern.compile("\\d{1,12}");

    private WebhookSignature() {
    }

    /** The header value a caller sends: {@code sha256=} and the lowercase hex HMAC. */
    public static String sign(String secret, String timestamp, byte[] body) {
        return SkiffSignature.sign(secret, timestamp, body);
    }

    /**
     * Checks the headers against the body; null when the request is authentic and fresh, otherwise
     * why not (safe to return to the caller: it names no secret and no expected value).
     */
    static String check(String timestamp, String signature, byte[] body, String secret, Instant now) {
        if (timestamp == null || signature == null) {
            return "the request must carry the headers " + TIMESTAMP_HEADER + " and " + SIGNATURE_HEADER;
        }
        if (!UNIX_SECONDS.matcher(timestamp).matches()) {
            return TIMESTAMP_HEADER + " must be the signing time in Unix seconds";
        }
        Instant signedAt = Instant.ofEpochSecond(Long.parseLong(timestamp));
        if (Duration.between(signedAt, now).abs().compareTo(MAX_SKEW) > 0) {
            return TIMESTAMP_HEADER + " is more than " + MAX_SKEW.toMinutes() + " minutes from the current time";
        }
        byte[] given = decode(signature);
        // Compare the full MACs in constant time even when the header is malformed, so timing says nothing.
        byte[] expected = hmac(secret, timestamp, body);
        boolean equal = MessageDigest.isEqual(expected, given == null ? new byte[0] : given);
        return equal ? null : SIGNATURE_HEADER + " does not match the request";
    }

    private static byte[] decode(String signature) {
        if (!signature.startsWith(SCHEME)) {
            return null;
        }
        try {
            return HexFormat.of().parseHex(signature.substring(SCHEME.length()).toLowerCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static byte[] hmac(String secret, String timestamp, byte[] body) {
        return SkiffSignature.hmac(secret, timestamp, body);
    }
}
