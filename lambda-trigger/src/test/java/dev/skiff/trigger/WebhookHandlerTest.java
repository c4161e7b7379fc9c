package dev.skiff.trigger;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.workflows.RunIds;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class WebhookHandlerTest {

    private static final int MAX_BODY = 1024;

    private final RecordingEventPublisher publisher = new RecordingEventPublisher();
    private final ByteArrayOutputStream logged = new ByteArrayOutputStream();
    private final TriggerLog log = new TriggerLog(new PrintStream(logged, true, StandardCharsets.UTF_8));

    private WebhookHandler handler(Optional<JobSpecSource> specs) {
        return new WebhookHandler(() -> Fixtures.SECRET, publisher, specs, MAX_BODY, Fixtures.CLOCK, log);
    }

    private WebhookHandler handler() {
        return handler(Optional.empty());
    }

    private WebhookHandler handlerWithSpecs() {
        return handler(Optional.of(new DirectoryJobSpecSource(Fixtures.specsDirectory())));
    }

    @Test
    void shouldAnswer202WithTheRunIdWhenTheFixtureRequestIsSigned() {
        // Given the API Gateway HTTP API request as recorded, signed with the shared secret
        ObjectNode request = Fixtures.json("apigw-v2-webhook.json");
        // When
        APIGatewayV2HTTPResponse response = handler().handle(request, "lambda-req-1");
        // Then
        assertThat(response.getStatusCode()).isEqualTo(202);
        assertThat(response.getHeaders()).containsEntry("Content-Type", "application/json");
        JsonNode body = Fixtures.body(response);
        SkiffEvent event = publisher.published.get(0);
        assertThat(body.get("runId").asText())
                .isEqualTo(RunIds.event("backfill", "skiff.trigger", event.id()))
                .startsWith("backfill-e-");
        assertThat(body.get("eventId").asText()).isEqualTo(event.id());
        assertThat(event.detailType()).isEqualTo("Webhook Run Requested");
        assertThat(event.time()).isEqualTo(Fixtures.NOW);
        assertThat(event.detail().get("job").asText()).isEqualTo("backfill");
        assertThat(event.detail().get("parameters").get("START_DATE").asText()).isEqualTo("2026-11-01");
        assertThat(event.detail().get("skiffEventId").asText()).isEqualTo(event.id());
        assertThat(event.detail().get("requestId").asText()).isEqualTo("JKJaXmPLvHcESHA=");
    }

    @Test
    void shouldPublishTheSameEventIdWhenTheSameRequestArrivesTwice() {
        // Given
        ObjectNode request = Fixtures.json("apigw-v2-webhook.json");
        // When
        JsonNode first = Fixtures.body(handler().handle(request, "a"));
        JsonNode second = Fixtures.body(handler().handle(request.deepCopy(), "b"));
        // Then
        assertThat(second.get("eventId")).isEqualTo(first.get("eventId"));
        assertThat(second.get("runId")).isEqualTo(first.get("runId"));
        assertThat(publisher.published).extracting(SkiffEvent::id).containsExactly(
                first.get("eventId").asText(), first.get("eventId").asText());
    }

    @Test
    void shouldKeepTheEventIdWhenTheCallerResignsARetryWithTheSameIdempotencyKey() {
        // Given the same body signed at two different times
        String body = "{\"job\":\"backfill\",\"parameters\":{\"START_DATE\":\"2026-11-01\"},\"idempotencyKey\":\"k-1\"}";
        // When
        JsonNode first = Fixtures.body(handler().handle(Fixtures.webhook(body, "1795680000", Fixtures.SECRET), "a"));
        JsonNode retry = Fixtures.body(handler().handle(Fixtures.webhook(body, "1795680020", Fixtures.SECRET), "b"));
        // Then
        assertThat(retry.get("runId")).isEqualTo(first.get("runId"));
    }

    @Test
    void shouldMakeANewEventIdWhenARequestWithoutKeyIsSignedAgain() {
        String body = "{\"job\":\"backfill\"}";
        JsonNode first = Fixtures.body(handler().handle(Fixtures.webhook(body, "1795680000", Fixtures.SECRET), "a"));
        JsonNode other = Fixtures.body(handler().handle(Fixtures.webhook(body, "1795680020", Fixtures.SECRET), "b"));
        assertThat(other.get("eventId")).isNotEqualTo(first.get("eventId"));
    }

    @Test
    void shouldAnswer401AndPublishNothingWhenTheSignatureIsWrong() {
        // Given
        ObjectNode request = Fixtures.webhook("{\"job\":\"backfill\"}", Fixtures.SIGNED_AT, "not-the-secret");
        // When
        APIGatewayV2HTTPResponse response = handler().handle(request, "a");
        // Then
        assertThat(response.getStatusCode()).isEqualTo(401);
        assertThat(response.getHeaders()).containsEntry("Content-Type", "application/problem+json");
        JsonNode problem = Fixtures.body(response);
        assertThat(problem.get("title").asText()).isEqualTo("Unauthorized");
        assertThat(problem.get("status").asInt()).isEqualTo(401);
        assertThat(problem.get("detail").asText()).isEqualTo("x-skiff-signature does not match the request");
        assertThat(publisher.published).isEmpty();
    }

    @Test
    void shouldAnswer401WhenTheSignatureHeaderIsMissing() {
        ObjectNode request = Fixtures.json("apigw-v2-webhook.json");
        ((ObjectNode) request.get("headers")).remove("x-skiff-signature");
        APIGatewayV2HTTPResponse response = handler().handle(request, "a");
        assertThat(response.getStatusCode()).isEqualTo(401);
        assertThat(Fixtures.body(response).get("detail").asText()).contains("x-skiff-signature");
    }

    @Test
    void shouldAnswer401WhenARecordedRequestIsReplayedAfterFiveMinutes() {
        // Given the fixture request, validly signed, replayed six minutes later
        ObjectNode request = Fixtures.json("apigw-v2-webhook.json");
        var later = java.time.Clock.offset(Fixtures.CLOCK, java.time.Duration.ofMinutes(6));
        var handler = new WebhookHandler(() -> Fixtures.SECRET, publisher, Optional.empty(), MAX_BODY, later, log);
        // When
        APIGatewayV2HTTPResponse response = handler.handle(request, "a");
        // Then
        assertThat(response.getStatusCode()).isEqualTo(401);
        assertThat(Fixtures.body(response).get("detail").asText()).contains("more than 5 minutes");
        assertThat(publisher.published).isEmpty();
    }

    @Test
    void shouldAnswer413BeforeCheckingTheSignatureWhenTheBodyIsTooLarge() {
        // Given a body one byte over the limit
        String body = "{\"job\":\"backfill\",\"parameters\":{\"PAD\":\"" + "x".repeat(MAX_BODY) + "\"}}";
        ObjectNode request = Fixtures.webhook(body);
        // When
        APIGatewayV2HTTPResponse response = handler().handle(request, "a");
        // Then
        assertThat(response.getStatusCode()).isEqualTo(413);
        assertThat(Fixtures.body(response).get("detail").asText()).isEqualTo("the body is larger than 1024 bytes");
    }

    @Test
    void shouldAnswer400WhenTheSignedBodyIsNotJson() {
        ObjectNode request = Fixtures.webhook("{\"job\": \"backfill\",");
        APIGatewayV2HTTPResponse response = handler().handle(request, "a");
        assertThat(response.getStatusCode()).isEqualTo(400);
        assertThat(Fixtures.body(response).get("detail").asText()).startsWith("the body is not JSON");
    }

    @Test
    void shouldAnswer400WhenTheBodyIsAJsonArray() {
        APIGatewayV2HTTPResponse response = handler().handle(Fixtures.webhook("[1,2]"), "a");
        assertThat(response.getStatusCode()).isEqualTo(400);
    }

    @Test
    void shouldAnswer422ListingEveryBadFieldWhenTheBodyHasTheWrongShape() {
        // Given
        String body = "{\"job\":\"Back_Fill\",\"parameters\":{\"A\":{\"x\":1}},\"idempotencyKey\":\"\",\"colour\":\"red\"}";
        // When
        APIGatewayV2HTTPResponse response = handler().handle(Fixtures.webhook(body), "a");
        // Then
        assertThat(response.getStatusCode()).isEqualTo(422);
        assertThat(Fixtures.body(response).get("problems")).extracting(JsonNode::asText).containsExactly(
                "colour: is not a known field (known: idempotencyKey, job, parameters)",
                "job: \"Back_Fill\" must be a job name: 1-48 lowercase letters, digits and '-'",
                "parameters.A: {\"x\":1} must be a string, number or boolean",
                "idempotencyKey: must be a string of 1 to 256 characters");
    }

    @Test
    void shouldAcceptABase64BodyWhenApiGatewayEncodedIt() {
        // Given
        String body = "{\"job\":\"backfill\",\"idempotencyKey\":\"b64\"}";
        ObjectNode request = Fixtures.webhook(body);
        request.put("body", Base64.getEncoder().encodeToString(body.getBytes(StandardCharsets.UTF_8)));
        request.put("isBase64Encoded", true);
        // When
        APIGatewayV2HTTPResponse response = handler().handle(request, "a");
        // Then
        assertThat(response.getStatusCode()).isEqualTo(202);
    }

    @Test
    void shouldAnswer405WhenTheMethodIsNotPost() {
        ObjectNode request = Fixtures.json("apigw-v2-webhook.json");
        ((ObjectNode) request.path("requestContext").path("http")).put("method", "GET");
        assertThat(handler().handle(request, "a").getStatusCode()).isEqualTo(405);
    }

    @Test
    void shouldAnswer404WhenSpecsAreAvailableAndTheJobIsUnknown() {
        APIGatewayV2HTTPResponse response = handlerWithSpecs().handle(Fixtures.webhook("{\"job\":\"no-such-job\"}"), "a");
        assertThat(response.getStatusCode()).isEqualTo(404);
        assertThat(Fixtures.body(response).get("detail").asText()).isEqualTo("there is no job named no-such-job");
        assertThat(publisher.published).isEmpty();
    }

    @Test
    void shouldAnswer422WhenSpecsAreAvailableAndARequiredParameterIsMissing() {
        // Given backfill declares START_DATE and END_DATE as required
        String body = "{\"job\":\"backfill\",\"parameters\":{\"START_DATE\":\"2026-11-01\",\"COLOUR\":\"red\"}}";
        // When
        APIGatewayV2HTTPResponse response = handlerWithSpecs().handle(Fixtures.webhook(body), "a");
        // Then
        assertThat(response.getStatusCode()).isEqualTo(422);
        assertThat(Fixtures.body(response).get("problems")).extracting(JsonNode::asText).containsExactly(
                "parameters.COLOUR: is not a declared parameter of job backfill (declared: END_DATE, PARALLELISM, START_DATE)",
                "parameters.END_DATE: is required (Last day to recompute, inclusive (yyyy-MM-dd).)");
    }

    @Test
    void shouldAnswer202WhenSpecsAreAvailableAndTheParametersFit() {
        APIGatewayV2HTTPResponse response = handlerWithSpecs().handle(Fixtures.json("apigw-v2-webhook.json"), "a");
        assertThat(response.getStatusCode()).isEqualTo(202);
    }

    @Test
    void shouldAnswer503WhenTheEventCannotBePublished() {
        publisher.failingAll();
        APIGatewayV2HTTPResponse response = handler().handle(Fixtures.json("apigw-v2-webhook.json"), "a");
        assertThat(response.getStatusCode()).isEqualTo(503);
        assertThat(Fixtures.body(response).get("detail").asText()).contains("send the same request again");
    }

    @Test
    void shouldAnswer503WithoutTheSecretStoresMessageWhenTheSecretCannotBeRead() {
        var handler = new WebhookHandler(() -> {
            throw new IllegalStateException("AccessDenied on arn:aws:secretsmanager:...:secret:hook");
        }, publisher, Optional.empty(), MAX_BODY, Fixtures.CLOCK, log);
        APIGatewayV2HTTPResponse response = handler.handle(Fixtures.json("apigw-v2-webhook.json"), "a");
        assertThat(response.getStatusCode()).isEqualTo(503);
        assertThat(response.getBody()).doesNotContain("arn:aws");
    }

    @Test
    void shouldLogTheRequestIdButNeverTheSecretOrSignatureWhenHandlingRequests() {
        // Given a good and a badly signed request
        ObjectNode good = Fixtures.json("apigw-v2-webhook.json");
        ObjectNode bad = Fixtures.webhook("{\"job\":\"backfill\"}", Fixtures.SIGNED_AT, "wrong");
        // When
        handler().handle(good, "a");
        handler().handle(bad, "b");
        // Then
        String output = logged.toString(StandardCharsets.UTF_8);
        assertThat(output).contains("requestId=JKJaXmPLvHcESHA=").contains("webhook accepted").contains("webhook rejected status=401");
        assertThat(output).doesNotContain(Fixtures.SECRET)
                .doesNotContain(good.get("headers").get("x-skiff-signature").asText().substring(7))
                .doesNotContain(bad.get("headers").get("x-skiff-signature").asText().substring(7));
    }
}
