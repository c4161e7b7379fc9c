package dev.skiff.trigger;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.jobs.JobSpec;
import dev.skiff.jobs.SkiffEvents;
import dev.skiff.workflows.RunIds;
import dev.skiff.workflows.RunParameters;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A signed webhook through API Gateway (HTTP API, payload format 2.0) becomes one
 * {@value #DETAIL_TYPE} event. Checks run cheapest first: size, signature and timestamp, body,
 * then the job's declared parameters when a {@link JobSpecSource} is configured. The answer is 202
 * with the run id the event implies, or a problem body.
 */
public final class WebhookHandler {

    public static final String DETAIL_TYPE = SkiffEvents.WEBHOOK_RUN_REQUESTED;

    private final SigningSecret secret;
    private final EventPublisher publisher;
    private final Optional<JobSpecSource> specs;
    private final int maxBodyBytes;
    private final Clock clock;
    private final TriggerLog log;

    public WebhookHandler(SigningSecret secret, EventPublisher publisher, Optional<JobSpecSource> specs,
                          int maxBodyBytes, Clock clock, TriggerLog log) {
        this.secret = secret;
        this.publisher = publisher;
        this.specs = specs;
        this.maxBodyBytes = maxBodyBytes;
        this.clock = clock;
        this.log = log;
    }

    public APIGatewayV2HTTPResponse handle(JsonNode request, String invocationId) {
        String requestId = Optional.ofNullable(Json.text(request.path("requestContext"), "requestId")).orElse(invocationId);
        try {
            return accept(request, requestId);
        } catch (RequestRejectedException e) {
            log.info(requestId, "webhook rejected status=" + e.status() + " reason=\"" + e.getMessage() + "\"");
            return HttpResponses.problem(e.status(), e.getMessage(), e.problems());
        } catch (RuntimeException e) {
            log.info(requestId, "webhook failed status=500 error=" + e.getClass().getSimpleName());
            return HttpResponses.problem(500, "the request could not be handled; request id " + requestId, List.of());
        }
    }

    private APIGatewayV2HTTPResponse accept(JsonNode request, String requestId) {
        String method = Json.text(request.path("requestContext").path("http"), "method");
        if (method != null && !method.equalsIgnoreCase("POST")) {
            throw new RequestRejectedException(405, "only POST is accepted");
        }
        byte[] body = body(request);
        Map<String, String> headers = headers(request.get("headers"));
        String timestamp = headers.get(WebhookSignature.TIMESTAMP_HEADER);
        String problem = WebhookSignature.check(timestamp, headers.get(WebhookSignature.SIGNATURE_HEADER),
                body, signingSecret(), clock.instant());
        if (problem != null) {
            throw new RequestRejectedException(401, problem);
        }
        String text = new String(body, StandardCharsets.UTF_8);
        WebhookRequest run = WebhookRequest.parse(text);
        checkParameters(run, requestId);

        String eventId = run.idempotencyKey()
                .map(key -> EventIds.of("webhook", run.job(), key))
                .orElseGet(() -> EventIds.of("webhook", timestamp, text));
        SkiffEvent event = new SkiffEvent(eventId, DETAIL_TYPE, clock.instant(), List.of(), detail(run, requestId));
        PublishResult result = publisher.publish(List.of(event));
        if (!result.ok()) {
            log.info(requestId, "webhook publish failed job=" + run.job() + " eventId=" + eventId
                    + " reason=\"" + result.failures().get(eventId) + "\"");
            throw new RequestRejectedException(503,
                    "the event could not be published; send the same request again (with an idempotencyKey it starts one run)");
        }
        String runId = RunIds.event(run.job(), SkiffEvent.SOURCE, eventId);
        log.info(requestId, "webhook accepted job=" + run.job() + " eventId=" + eventId + " runId=" + runId);
        var answer = new LinkedHashMap<String, String>();
        answer.put("runId", runId);
        answer.put("eventId", eventId);
        answer.put("job", run.job());
        return HttpResponses.json(202, answer);
    }

    private byte[] body(JsonNode request) {
        String raw = Json.text(request, "body");
        if (raw == null) {
            throw new RequestRejectedException(400, "the request has no body");
        }
        // Checked before decoding too, so an oversized body costs no work.
        if (raw.length() > maxBodyBytes * 4L / 3 + 4) {
            throw tooLarge();
        }
        byte[] body;
        if (request.path("isBase64Encoded").asBoolean(false)) {
            try {
                body = Base64.getDecoder().decode(raw);
            } catch (IllegalArgumentException e) {
                throw new RequestRejectedException(400, "the body is marked base64 but is not valid base64");
            }
        } else {
            body = raw.getBytes(StandardCharsets.UTF_8);
        }
        if (body.length > maxBodyBytes) {
            throw tooLarge();
        }
        return body;
    }

    private RequestRejectedException tooLarge() {
        return new RequestRejectedException(413, "the body is larger than " + maxBodyBytes + " bytes");
    }

    private String signingSecret() {
        try {
            return secret.value();
        } catch (RuntimeException e) {
            // The secret store's message may name the secret's ARN but never its value.
            throw new RequestRejectedException(503, "the signing secret is not available; try again later");
        }
    }

    private void checkParameters(WebhookRequest run, String requestId) {
        if (specs.isEmpty()) {
            return;
        }
        Optional<JobSpec> spec;
        try {
            spec = specs.get().find(run.job());
        } catch (RuntimeException e) {
            log.info(requestId, "job spec unavailable, parameters not checked job=" + run.job() + " reason=\"" + e.getMessage() + "\"");
            return;
        }
        JobSpec job = spec.orElseThrow(() -> new RequestRejectedException(404, "there is no job named " + run.job()));
        RunParameters.Resolution resolution = RunParameters.resolve(job, run.parameters());
        if (!resolution.ok()) {
            throw new RequestRejectedException(422, "the parameters do not fit job " + run.job(), resolution.problems());
        }
    }

    private static ObjectNode detail(WebhookRequest run, String requestId) {
        ObjectNode detail = Json.object();
        detail.put(SkiffEvents.JOB_FIELD, run.job());
        ObjectNode parameters = detail.putObject(SkiffEvents.PARAMETERS_FIELD);
        run.parameters().forEach(parameters::put);
        run.idempotencyKey().ifPresent(key -> detail.put("idempotencyKey", key));
        detail.put("requestId", requestId);
        return detail;
    }

    /** API Gateway lowercases header names in payload 2.0; lowercase again for requests built by hand. */
    private static Map<String, String> headers(JsonNode node) {
        var headers = new LinkedHashMap<String, String>();
        if (node != null && node.isObject()) {
            node.fields().forEachRemaining(h -> headers.put(h.getKey().toLowerCase(Locale.ROOT), h.getValue().asText()));
        }
        return headers;
    }
}
