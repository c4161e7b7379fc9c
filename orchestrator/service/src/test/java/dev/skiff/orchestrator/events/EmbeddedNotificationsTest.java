package dev.skiff.orchestrator.events;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.skiff.orchestrator.adapter.notify.HookReceiver;
import dev.skiff.orchestrator.api.RunsApi;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.config.EncoderConfig;
import io.restassured.http.ContentType;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * Notifications in embedded mode, end to end: a job whose command fails, run through the API, notifies the webhook its
 * spec names for {@code failed}, a real receiver on loopback, signed; a receiver that fails twice gets the third
 * attempt; one that always fails is given up on, logged and counted in {@code /q/metrics}.
 */
@QuarkusTest
@TestProfile(NotificationsProfile.class)
class EmbeddedNotificationsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WITHIN = Duration.ofSeconds(30);

    @Test
    void shouldPostOneSignedNotificationOfAFailedRunToTheWebhookItsSpecNames() throws Exception {
        try (var receiver = HookReceiver.answering(200)) {
            // Given a job that exits 3 and names the receiver for failed (and a second URL for succeeded, never told)
            put("breaks", receiver, "failed: [\"%s\"], succeeded: [\"%s\"]".formatted(receiver.url("/hook?token=t1"),
                    receiver.url("/never")));

            // When it runs through the API and fails
            String runId = run("breaks");
            assertThat(RunsApi.awaitEnd(runId)).isEqualTo("FAILED");

            // Then the receiver got one POST, signed with the configured secret, with the text and the run's detail
            List<HookReceiver.Received> received = receiver.await(1, WITHIN);
            assertThat(received).hasSize(1);
            HookReceiver.Received post = received.get(0);
            assertThat(post.method()).isEqualTo("POST");
            assertThat(post.path()).isEqualTo("/hook?token=t1");
            String timestamp = post.header("x-skiff-timestamp");
            assertThat(Long.parseLong(timestamp)).isBetween(Instant.now().getEpochSecond() - 60, Instant.now().getEpochSecond());
            assertThat(post.header("x-skiff-signature")).isEqualTo(signature(timestamp, post.body()));
            JsonNode body = JSON.readTree(post.body());
            assertThat(body.path("text").asText()).startsWith("✖ job breaks run " + runId + " FAILED: ").contains(" after ");
            assertThat(body.path("skiff").path("job").asText()).isEqualTo("breaks");
            assertThat(body.path("skiff").path("runId").asText()).isEqualTo(runId);
            assertThat(body.path("skiff").path("status").asText()).isEqualTo("FAILED");
            assertThat(body.path("skiff").path("owner").asText()).isEqualTo("team-a");
            assertThat(body.path("skiff").has("error")).isTrue();
            assertThat(post.header("x-skiff-event-id")).isEqualTo(runId + "/FAILED");
        }
    }

    @Test
    void shouldTryAReceiverThatFailsTwiceAThirdTime() throws Exception {
        try (var receiver = HookReceiver.answering(500, 500, 200)) {
            put("flaky-receiver", receiver, "failed: [\"%s\"]".formatted(receiver.url("/hook")));
            double deliveredBefore = counted("webhook", "delivered");

            assertThat(RunsApi.awaitEnd(run("flaky-receiver"))).isEqualTo("FAILED");

            List<HookReceiver.Received> received = receiver.await(3, WITHIN);
            assertThat(received).hasSize(3).extracting(r -> r.header("x-skiff-event-id")).containsOnly(
                    received.get(0).header("x-skiff-event-id")); // the same event each time: a receiver can drop repeats
            assertThat(received).allSatisfy(r -> assertThat(r.header("x-skiff-signature"))
                    .isEqualTo(signature(r.header("x-skiff-timestamp"), r.body())));
            awaitCount("webhook", "delivered", deliveredBefore + 1);
        }
    }

    @Test
    void shouldGiveUpOnAReceiverThatAlwaysFailsLogItWithoutTheQueryAndCountIt() throws Exception {
        var errors = new Errors();
        Logger logger = Logger.getLogger("dev.skiff.orchestrator.app.RunNotifications");
        logger.addHandler(errors);
        try (var receiver = HookReceiver.answering(500)) {
            put("down-receiver", receiver, "failed: [\"%s\"]".formatted(receiver.url("/hook?token=hidden")));
            double failedBefore = counted("webhook", "failed");

            String runId = run("down-receiver");
            assertThat(RunsApi.awaitEnd(runId)).isEqualTo("FAILED");

            assertThat(receiver.await(3, WITHIN)).hasSize(3);
            awaitCount("webhook", "failed", failedBefore + 1);
            assertThat(errors.lines()).anySatisfy(line -> assertThat(line)
                    .contains("job down-receiver run " + runId)
                    .contains(receiver.url("/…"))
                    .contains("after 3 attempt(s): answered 500")
                    .doesNotContain("hidden"));
        } finally {
            logger.removeHandler(errors);
        }
    }

    @Test
    void shouldCountAnSnsChannelAsNotDeliverableWithoutAwsAndStillTellTheOtherChannels() throws Exception {
        var errors = new Errors();
        Logger logger = Logger.getLogger("dev.skiff.orchestrator.app.RunNotifications");
        logger.addHandler(errors);
        try (var receiver = HookReceiver.answering(200)) {
            put("sns-on-laptop", receiver, "failed: [\"arn:aws:sns:us-east-1:123456789012:skiff-notify-x\", \"%s\"]"
                    .formatted(receiver.url("/hook")));
            double failedBefore = counted("sns", "failed");

            assertThat(RunsApi.awaitEnd(run("sns-on-laptop"))).isEqualTo("FAILED");

            assertThat(receiver.await(1, WITHIN)).hasSize(1);
            awaitCount("sns", "failed", failedBefore + 1);
            assertThat(errors.lines()).anySatisfy(line -> assertThat(line)
                    .contains("job sns-on-laptop run ")
                    .contains("to arn:aws:sns:us-east-1:123456789012:skiff-notify-x after 1 attempt(s): SNS topics are"
                            + " notified only where Skiff has AWS"));
        } finally {
            logger.removeHandler(errors);
        }
    }

    /** The ERROR lines of a logger, as formatted. */
    private static final class Errors extends Handler {
        private final List<String> lines = Collections.synchronizedList(new ArrayList<>());

        @Override
        public void publish(LogRecord record) {
            if (record.getLevel().intValue() >= Level.SEVERE.intValue()) {
                Object[] parameters = record.getParameters();
                lines.add(parameters == null ? record.getMessage() : String.format(record.getMessage(), parameters));
            }
        }

        List<String> lines() {
            synchronized (lines) {
                return List.copyOf(lines);
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }

    private static void put(String name, HookReceiver receiver, String notify) {
        String spec = "name: " + name + "\nowner: team-a\nimage: example/job:1\ncommand: [\"sh\", \"-c\", \"exit 3\"]\n"
                + "notify: {" + notify + "}\n";
        given().config(RestAssured.config().encoderConfig(EncoderConfig.encoderConfig()
                        .encodeContentTypeAs("application/yaml", ContentType.TEXT))).contentType("application/yaml")
                .body(spec).put("/jobs/" + name).then().statusCode(201);
    }

    private static String run(String job) {
        return given().contentType(ContentType.JSON).body("{}").post("/jobs/" + job + "/runs").then().statusCode(201)
                .extract().path("runId");
    }

    private static String signature(String timestamp, String body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(NotificationsProfile.SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return "sha256=" + HexFormat.of().formatHex(mac.doFinal((timestamp + "." + body).getBytes(StandardCharsets.UTF_8)));
    }

    /** {@code skiff_notifications_total{channel, outcome}} as /q/metrics shows it; 0 before the first. */
    private static double counted(String channel, String outcome) {
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        Matcher line = Pattern.compile("(?m)^skiff_notifications_total\\{([^}]*)} (\\S+)$").matcher(metrics);
        while (line.find()) {
            if (line.group(1).contains("channel=\"" + channel + "\"") && line.group(1).contains("outcome=\"" + outcome + "\"")) {
                return Double.parseDouble(line.group(2));
            }
        }
        return 0;
    }

    private static void awaitCount(String channel, String outcome, double atLeast) throws InterruptedException {
        Instant giveUp = Instant.now().plus(WITHIN);
        while (counted(channel, outcome) < atLeast && Instant.now().isBefore(giveUp)) {
            Thread.sleep(50);
        }
        assertThat(counted(channel, outcome)).as("skiff_notifications_total{channel=%s, outcome=%s}", channel, outcome)
                .isGreaterThanOrEqualTo(atLeast);
    }
}
