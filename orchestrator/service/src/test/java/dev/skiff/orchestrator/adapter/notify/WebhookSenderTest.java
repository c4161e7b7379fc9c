package dev.skiff.orchestrator.adapter.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.jobs.NotifyChannel;
import dev.skiff.jobs.RunEvents;
import dev.skiff.orchestrator.port.Notification;
import dev.skiff.orchestrator.port.NotificationFailure;
import java.net.InetAddress;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** Webhook notifications to a real HTTP receiver on loopback. */
class WebhookSenderTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-05T10:00:00Z"), ZoneOffset.UTC);
    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    static Notification failed() {
        ObjectNode detail = JSON.createObjectNode().put("skiffEventId", "etl-1/FAILED").put("job", "etl")
                .put("runId", "etl-1").put("status", "FAILED").put("error", "exit code 3");
        return new Notification(RunEvents.Kind.FAILED, "etl", "etl-1", "etl-1/FAILED",
                "✖ job etl run etl-1 FAILED: exit code 3", detail);
    }

    private static WebhookSender sender(Optional<String> secret, boolean allowPrivate, WebhookSender.Resolver resolver) {
        HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).connectTimeout(TIMEOUT).build();
        return new WebhookSender(() -> http, secret, allowPrivate, CLOCK, resolver);
    }

    private static WebhookSender laptop(Optional<String> secret) {
        return sender(secret, true, InetAddress::getAllByName);
    }

    private static NotifyChannel hook(String url) {
        return new NotifyChannel(NotifyChannel.Kind.WEBHOOK, url);
    }

    /** The signature as a receiver checks it, computed here independently of the sender's code. */
    static String expectedSignature(String secret, String timestamp, String body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return "sha256=" + HexFormat.of().formatHex(mac.doFinal((timestamp + "." + body).getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void shouldPostASignedSlackCompatibleBodyWithTheTextAndTheDetail() throws Exception {
        try (var receiver = HookReceiver.answering(204)) {
            laptop(Optional.of("s3cret")).send(hook(receiver.url("/hook?token=t")), failed(), TIMEOUT);

            List<HookReceiver.Received> received = receiver.received();
            assertThat(received).hasSize(1);
            HookReceiver.Received request = received.get(0);
            assertThat(request.method()).isEqualTo("POST");
            assertThat(request.path()).isEqualTo("/hook?token=t");
            assertThat(request.header("content-type")).isEqualTo("application/json");
            assertThat(request.header("x-skiff-event-id")).isEqualTo("etl-1/FAILED");
            String signedAt = Long.toString(CLOCK.instant().getEpochSecond());
            assertThat(request.header("x-skiff-timestamp")).isEqualTo(signedAt);
            assertThat(request.header("x-skiff-signature")).isEqualTo(expectedSignature("s3cret", signedAt, request.body()));
            JsonNode body = JSON.readTree(request.body());
            assertThat(body.path("text").asText()).isEqualTo("✖ job etl run etl-1 FAILED: exit code 3");
            assertThat(body.path("skiff")).isEqualTo(failed().detail());
        }
    }

    @Test
    void shouldSendUnsignedWithoutASecret() throws Exception {
        try (var receiver = HookReceiver.answering(200)) {
            laptop(Optional.empty()).send(hook(receiver.url("/hook")), failed(), TIMEOUT);

            assertThat(receiver.received().get(0).header("x-skiff-signature")).isNull();
            assertThat(receiver.received().get(0).header("x-skiff-timestamp")).isNull();
        }
    }

    @Test
    void shouldRetryA5xxAnd429AndATimeoutButNotOther4xxOrARedirectWhichItDoesNotFollow() throws Exception {
        for (int status : new int[] {500, 503, 429}) {
            try (var receiver = HookReceiver.answering(status)) {
                assertThatThrownBy(() -> laptop(Optional.empty()).send(hook(receiver.url("/hook")), failed(), TIMEOUT))
                        .isInstanceOfSatisfying(NotificationFailure.class, e -> assertThat(e.retryable()).isTrue())
                        .hasMessage("answered " + status);
            }
        }
        for (int status : new int[] {400, 404, 410}) {
            try (var receiver = HookReceiver.answering(status)) {
                assertThatThrownBy(() -> laptop(Optional.empty()).send(hook(receiver.url("/hook")), failed(), TIMEOUT))
                        .isInstanceOfSatisfying(NotificationFailure.class, e -> assertThat(e.retryable()).isFalse());
            }
        }
        try (var receiver = HookReceiver.answering(302)) {
            assertThatThrownBy(() -> laptop(Optional.empty()).send(hook(receiver.url("/hook")), failed(), TIMEOUT))
                    .isInstanceOfSatisfying(NotificationFailure.class, e -> assertThat(e.retryable()).isFalse())
                    .hasMessage("answered 302 (a redirect, not followed)");
            assertThat(receiver.received()).extracting(HookReceiver.Received::path).containsExactly("/hook");
        }
        try (var receiver = HookReceiver.answering(200).delayingNext(Duration.ofSeconds(3))) {
            assertThatThrownBy(() -> laptop(Optional.empty()).send(hook(receiver.url("/hook")), failed(), Duration.ofMillis(300)))
                    .isInstanceOfSatisfying(NotificationFailure.class, e -> assertThat(e.retryable()).isTrue())
                    .hasMessage("no answer within 300 ms");
        }
    }

    @Test
    void shouldRefuseAHostResolvingToAPrivateAddressWithoutConnecting() throws Exception {
        try (var receiver = HookReceiver.answering(200)) {
            // A public-looking name that resolves to loopback (where the receiver listens): the rebinding case
            var sender = sender(Optional.empty(), false, host -> new InetAddress[] {InetAddress.getByName("127.0.0.1")});
            String url = "https://hooks.example.com:" + receiver.port() + "/hook";

            assertThatThrownBy(() -> sender.send(hook(url), failed(), TIMEOUT))
                    .isInstanceOfSatisfying(NotificationFailure.class, e -> assertThat(e.retryable()).isFalse())
                    .hasMessage("refused: hooks.example.com resolves to 127.0.0.1, a loopback address"
                            + " (skiff.notify.allow-private-addresses=false)");
            assertThatThrownBy(() -> sender.send(hook(receiver.url("/hook")), failed(), TIMEOUT))
                    .hasMessageStartingWith("refused: http:// is sent only where private addresses are allowed");
            assertThat(receiver.received()).isEmpty();
        }
    }

    @Test
    void shouldRefuseAHostWithAnyPrivateAddressAmongItsAddresses() {
        var sender = sender(Optional.empty(), false, host -> new InetAddress[] {
                InetAddress.getByName("93.184.215.14"), InetAddress.getByName("169.254.169.254")});

        assertThatThrownBy(() -> sender.send(hook("https://hooks.example.com/hook"), failed(), TIMEOUT))
                .hasMessageContaining("resolves to 169.254.169.254, a link-local address");
    }

    @Test
    void shouldKnowThePrivateAddresses() throws Exception {
        for (String address : List.of("127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254", "0.0.0.0",
                "100.64.0.1", "::1", "fe80::1", "fd00:ec2::254", "fc00::1", "::", "64:ff9b::a9fe:a9fe", "::ffff:10.0.0.1",
                "224.0.0.1")) {
            assertThat(PrivateAddresses.refusal(InetAddress.getByName(address))).as(address).isPresent();
        }
        for (String address : List.of("93.184.215.14", "8.8.8.8", "100.128.0.1", "2001:4860:4860::8888", "64:ff9b::808:808")) {
            assertThat(PrivateAddresses.refusal(InetAddress.getByName(address))).as(address).isEmpty();
        }
    }
}
