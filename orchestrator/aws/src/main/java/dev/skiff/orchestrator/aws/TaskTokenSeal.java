package dev.skiff.orchestrator.aws;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals a step's Step Functions task token before it goes into the task's environment, where DescribeTasks,
 * CloudTrail's RunTask records, the ECS events on the bus and the job's own container can read it. Sealed
 * (AES-256-GCM, with a key only the orchestrator holds), it is of no use to them: SendTaskSuccess refuses it, and
 * only the orchestrator can open it to answer with how the task really ended.
 *
 * <p>The sealed text is bound to the step it was made for (run id, step, attempt, as associated data), so a sealed
 * token copied into the environment of another run's task does not open there. Keys rotate: the first key seals,
 * every key opens, and the sealed text names its key by a fingerprint, so an old key can be dropped once the steps
 * it sealed have ended.
 */
public final class TaskTokenSeal {

    /** The shortest key text accepted: 32 random characters carry well over 128 bits. */
    static final int MIN_KEY_LENGTH = 32;
    private static final String VERSION = "skiff1";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    /** The step a token belongs to: what the sealed text is bound to. */
    public record Step(String runId, String step, int attempt) {
        byte[] associatedData() {
            return (runId + '\n' + step + '\n' + attempt).getBytes(StandardCharsets.UTF_8);
        }
    }

    private final String sealingId;
    private final Map<String, SecretKeySpec> keys;

    private TaskTokenSeal(String sealingId, Map<String, SecretKeySpec> keys) {
        this.sealingId = sealingId;
        this.keys = keys;
    }

    /**
     * @param keyTexts newest first; each at least {@value #MIN_KEY_LENGTH} characters of random text
     * @param setting  the configuration key named in errors (the key texts themselves never are)
     * @throws IllegalArgumentException when there is no key, or one is too short or repeated
     */
    public static TaskTokenSeal of(List<String> keyTexts, String setting) {
        var keys = new LinkedHashMap<String, SecretKeySpec>();
        List<String> texts = keyTexts.stream().map(String::strip).filter(t -> !t.isEmpty()).toList();
        if (texts.isEmpty()) {
            throw new IllegalArgumentException(setting + ": required, one or more keys (comma-separated, newest first)"
                    + " of at least " + MIN_KEY_LENGTH + " random characters each");
        }
        for (int i = 0; i < texts.size(); i++) {
            String text = texts.get(i);
            if (text.length() < MIN_KEY_LENGTH) {
                throw new IllegalArgumentException(setting + "[" + i + "]: a key of " + text.length()
                        + " characters; each key must be at least " + MIN_KEY_LENGTH + " random characters");
            }
            byte[] material = sha256(("skiff task token key\n" + text).getBytes(StandardCharsets.UTF_8));
            String id = HexFormat.of().formatHex(sha256(material), 0, 4);
            if (keys.putIfAbsent(id, new SecretKeySpec(material, "AES")) != null) {
                throw new IllegalArgumentException(setting + "[" + i + "]: the same key is listed twice");
            }
        }
        return new TaskTokenSeal(keys.keySet().iterator().next(), keys);
    }

    /** The token sealed with the newest key, bound to its step: {@code skiff1.<key id>.<nonce and ciphertext>}. */
    public String seal(String token, Step step) {
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        byte[] sealed = crypt(Cipher.ENCRYPT_MODE, keys.get(sealingId), nonce, step,
                token.getBytes(StandardCharsets.UTF_8), 0);
        byte[] body = new byte[NONCE_BYTES + sealed.length];
        System.arraycopy(nonce, 0, body, 0, NONCE_BYTES);
        System.arraycopy(sealed, 0, body, NONCE_BYTES, sealed.length);
        return VERSION + '.' + sealingId + '.' + ENCODER.encodeToString(body);
    }

    /**
     * The token, when the text was sealed by one of the keys for exactly this step; empty when it was changed,
     * made for another step, or sealed by a key no longer configured.
     */
    public Optional<String> open(String sealedText, Step step) {
        String[] parts = sealedText.split("\\.", -1);
        if (parts.length != 3 || !VERSION.equals(parts[0]) || !keys.containsKey(parts[1])) {
            return Optional.empty();
        }
        try {
            byte[] body = DECODER.decode(parts[2]);
            if (body.length <= NONCE_BYTES) {
                return Optional.empty();
            }
            byte[] nonce = Arrays.copyOf(body, NONCE_BYTES);
            byte[] token = crypt(Cipher.DECRYPT_MODE, keys.get(parts[1]), nonce, step, body, NONCE_BYTES);
            return Optional.of(new String(token, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException | SealBroken e) {
            return Optional.empty();
        }
    }

    /** The fingerprints of the configured keys, newest first: safe to log, they reveal nothing of the keys. */
    public List<String> keyIds() {
        return new ArrayList<>(keys.keySet());
    }

    private static byte[] crypt(int mode, SecretKeySpec key, byte[] nonce, Step step, byte[] input, int offset) {
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(mode, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(step.associatedData());
            return cipher.doFinal(input, offset, input.length - offset);
        } catch (GeneralSecurityException e) { // on opening, a bad tag: the text was changed or is another step's
            if (mode == Cipher.DECRYPT_MODE) {
                throw new SealBroken();
            }
            throw new IllegalStateException("AES-GCM is not available in this JVM", e);
        }
    }

    private static byte[] sha256(byte[] input) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(input);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available in this JVM", e);
        }
    }

    /** A sealed text that does not open: changed, or made for another step. */
    private static final class SealBroken extends RuntimeException {
        SealBroken() {
            super(null, null, false, false);
        }
    }
}
