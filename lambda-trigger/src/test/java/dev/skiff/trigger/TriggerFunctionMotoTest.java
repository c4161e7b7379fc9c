package dev.skiff.trigger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ssm.model.ParameterType;

/**
 * The whole function as Lambda calls it (bytes in, bytes out), configured by environment and
 * talking to moto: the secret from Secrets Manager or SSM, events to the bus or the intake queue.
 */
class TriggerFunctionMotoTest {

    private final MotoAws aws = new MotoAws();
    private final ByteArrayOutputStream logged = new ByteArrayOutputStream();

    private TriggerFunction function(Map<String, String> settings) {
        return new TriggerFunction(TriggerConfig.fromEnvironment(aws.environment(settings)), Fixtures.CLOCK,
                new TriggerLog(new PrintStream(logged, true, StandardCharsets.UTF_8)));
    }

    private static String invoke(TriggerFunction function, String event) throws IOException {
        var out = new ByteArrayOutputStream();
        function.handleRequest(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), out, null);
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void shouldPutTheWebhookEventOnTheBusWhenSignedWithTheSecretFromSecretsManager() throws IOException {
        // Given
        String queue = aws.busDeliveringTo("skiff", "skiff-intake");
        String arn = aws.secrets.createSecret(r -> r.name("skiff/webhook").secretString(Fixtures.SECRET)).arn();
        TriggerFunction function = function(Map.of("SKIFF_EVENT_BUS", "skiff", "SKIFF_SIGNING_SECRET_ARN", arn));
        // When
        JsonNode response = Json.tryRead(invoke(function, Fixtures.text("apigw-v2-webhook.json"))).orElseThrow();
        // Then
        assertThat(response.get("statusCode").asInt()).isEqualTo(202);
        assertThat(response.get("isBase64Encoded").asBoolean()).isFalse();
        JsonNode answer = Json.tryRead(response.get("body").asText()).orElseThrow();
        JsonNode delivered = Json.tryRead(aws.receive(queue, 1).get(0).body()).orElseThrow();
        assertThat(delivered.get("source").asText()).isEqualTo("skiff.trigger");
        assertThat(delivered.get("detail-type").asText()).isEqualTo("Webhook Run Requested");
        assertThat(delivered.at("/detail/skiffEventId").asText()).isEqualTo(answer.get("eventId").asText());
        assertThat(delivered.at("/detail/parameters/END_DATE").asText()).isEqualTo("2026-11-03");
    }

    @Test
    void shouldAnswer401WhenTheSsmSecretDiffersFromTheOneTheCallerSignedWith() throws IOException {
        aws.busDeliveringTo("skiff", "skiff-intake");
        aws.ssm.putParameter(r -> r.name("/skiff/webhook-secret").type(ParameterType.SECURE_STRING).value("rotated"));
        TriggerFunction function = function(Map.of("SKIFF_EVENT_BUS", "skiff", "SKIFF_SIGNING_SECRET_PARAMETER", "/skiff/webhook-secret"));

        JsonNode response = Json.tryRead(invoke(function, Fixtures.text("apigw-v2-webhook.json"))).orElseThrow();

        assertThat(response.get("statusCode").asInt()).isEqualTo(401);
        assertThat(response.at("/headers/Content-Type").asText()).isEqualTo("application/problem+json");
    }

    @Test
    void shouldSendToTheIntakeQueueAndReportTheUnreadableMessageWhenTheTargetIsSqs() throws IOException {
        // Given
        String intake = aws.createQueue("skiff-intake");
        TriggerFunction function = function(Map.of("SKIFF_TARGET", "sqs", "SKIFF_INTAKE_QUEUE_URL", intake));
        // When
        String response = invoke(function, Fixtures.text("sqs-batch.json"));
        // Then
        assertThat(response).isEqualTo("{\"batchItemFailures\":[{\"itemIdentifier\":\"3a1d5c2e-8b4f-4e1a-9c7d-5f6e7a8b9c0d\"}]}");
        assertThat(aws.receive(intake, 3)).extracting(m -> Json.tryRead(m.body()).orElseThrow().get("detail-type").asText())
                .containsExactlyInAnyOrder("Object Created", "SNS Message", "Object Created");
    }

    @Test
    void shouldWriteNoResponseWhenS3InvokesDirectly() throws IOException {
        String intake = aws.createQueue("skiff-intake");
        TriggerFunction function = function(Map.of("SKIFF_TARGET", "sqs", "SKIFF_INTAKE_QUEUE_URL", intake));

        assertThat(invoke(function, Fixtures.text("s3-notification.json"))).isEmpty();
        assertThat(aws.receive(intake, 1)).hasSize(1);
    }

    @Test
    void shouldAnswer503WhenAWebhookArrivesAndNoSecretIsConfigured() throws IOException {
        aws.busDeliveringTo("skiff", "skiff-intake");
        TriggerFunction function = function(Map.of("SKIFF_EVENT_BUS", "skiff"));

        JsonNode response = Json.tryRead(invoke(function, Fixtures.text("apigw-v2-webhook.json"))).orElseThrow();

        assertThat(response.get("statusCode").asInt()).isEqualTo(503);
    }

    @Test
    void shouldFailWhenTheEventHasNoKnownShape() {
        TriggerFunction function = function(Map.of());
        assertThatThrownBy(() -> invoke(function, "{\"hello\": \"world\"}")).hasMessageStartingWith("unrecognised event");
    }
}
