package dev.skiff.trigger;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class WebhookSignatureTest {

    private static final byte[] BODY = "{\"job\":\"backfill\"}".getBytes(StandardCharsets.UTF_8);
    private static final String TS = "1795680000";
    private static final Instant NOW = Instant.ofEpochSecond(1795680000L + 10);

    @Test
    void shouldAcceptWhenSignatureMatchesAndTimestampIsFresh() {
        // Given
        String signature = WebhookSignature.sign("s3cret", TS, BODY);
        // When
        String problem = WebhookSignature.check(TS, signature, BODY, "s3cret", NOW);
        // Then
        assertThat(problem).isNull();
        assertThat(signature).matches("sha256=[0-9a-f]{64}");
    }

    @Test
    void shouldAcceptUppercaseHexWhenOtherwiseValid() {
        String signature = WebhookSignature.sign("s3cret", TS, BODY);
        String upper = "sha256=" + signature.substring(7).toUpperCase();
        assertThat(WebhookSignature.check(TS, upper, BODY, "s3cret", NOW)).isNull();
    }

    @Test
    void shouldRejectWhenSignedWithAnotherSecret() {
        // Given
        String signature = WebhookSignature.sign("other", TS, BODY);
        // When
        String problem = WebhookSignature.check(TS, signature, BODY, "s3cret", NOW);
        // Then
        assertThat(problem).isEqualTo("x-skiff-signature does not match the request");
    }

    @Test
    void shouldRejectWhenBodyWasChangedAfterSigning() {
        String signature = WebhookSignature.sign("s3cret", TS, BODY);
        byte[] changed = "{\"job\":\"backfil1\"}".getBytes(StandardCharsets.UTF_8);
        assertThat(WebhookSignature.check(TS, signature, changed, "s3cret", NOW)).contains("does not match");
    }

    @Test
    void shouldRejectWhenTimestampWasChangedAfterSigning() {
        String signature = WebhookSignature.sign("s3cret", TS, BODY);
        assertThat(WebhookSignature.check("1795680001", signature, BODY, "s3cret", NOW)).contains("does not match");
    }

    @Test
    void shouldRejectWhenTimestampIsOlderThanFiveMinutes() {
        // Given a request signed 5 minutes and 1 second ago
        String signature = WebhookSignature.sign("s3cret", TS, BODY);
        Instant later = Instant.ofEpochSecond(1795680000L + 301);
        // When
        String problem = WebhookSignature.check(TS, signature, BODY, "s3cret", later);
        // Then
        assertThat(problem).isEqualTo("x-skiff-timestamp is more than 5 minutes from the current time");
    }

    @Test
    void shouldAcceptWhenTimestampIsExactlyFiveMinutesOld() {
        String signature = WebhookSignature.sign("s3cret", TS, BODY);
        assertThat(WebhookSignature.check(TS, signature, BODY, "s3cret", Instant.ofEpochSecond(1795680000L + 300))).isNull();
    }

    @Test
    void shouldRejectWhenTimestampIsMoreThanFiveMinutesAhead() {
        String signature = WebhookSignature.sign("s3cret", TS, BODY);
        Instant earlier = Instant.ofEpochSecond(1795680000L - 301);
        assertThat(WebhookSignature.check(TS, signature, BODY, "s3cret", earlier)).contains("more than 5 minutes");
    }

    @Test
    void shouldRejectWhenHeadersAreMissingOrMalformed() {
        String signature = WebhookSignature.sign("s3cret", TS, BODY);
        assertThat(WebhookSignature.check(null, signature, BODY, "s3cret", NOW)).contains("must carry the headers");
        assertThat(WebhookSignature.check(TS, null, BODY, "s3cret", NOW)).contains("must carry the headers");
        assertThat(WebhookSignature.check("2026-11-26T08:00:00Z", signature, BODY, "s3cret", NOW)).contains("Unix seconds");
        assertThat(WebhookSignature.check(TS, signature.substring(7), BODY, "s3cret", NOW)).contains("does not match");
        assertThat(WebhookSignature.check(TS, "sha256=zz", BODY, "s3cret", NOW)).contains("does not match");
        assertThat(WebhookSignature.check(TS, "sha256=", BODY, "s3cret", NOW)).contains("does not match");
    }
}
