package dev.skiff.trigger;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * The Lambda entry point ({@code dev.skiff.trigger.TriggerFunction::handleRequest}). One function
 * serves every source; it tells them apart by shape: an API Gateway HTTP API request (payload 2.0),
 * an SQS batch, an SNS event or an S3 event. It reads the input with Jackson itself rather than
 * through the runtime's event classes, because SQS bodies hold S3 and SNS notifications as JSON text
 * that needs the same parsers anyway.
 */
public final class TriggerFunction implements RequestStreamHandler {

    private final Optional<WebhookHandler> webhooks;
    private final NotificationHandler notifications;
    private final SqsBatchHandler batches;

    /** What Lambda calls once per execution environment, at init: configuration and clients. */
    public TriggerFunction() {
        this(TriggerConfig.fromEnvironment(System.getenv()), Clock.systemUTC(), TriggerLog.stdout());
    }

    public TriggerFunction(TriggerConfig config, Clock clock, TriggerLog log) {
        var clients = new AwsClients(config);
        EventPublisher publisher = switch (config.target()) {
            case EVENTBRIDGE -> new EventBridgeEventPublisher(clients.eventBridge(), config.eventBus());
            case SQS -> new SqsEventPublisher(clients.sqs(), config.intakeQueueUrl().orElseThrow(), config.region().orElse(null));
        };
        Optional<SigningSecret> secret = config.secretArn()
                .<SigningSecret>map(arn -> new SecretsManagerSigningSecret(clients.secretsManager(), arn))
                .or(() -> config.secretParameter().map(name -> new SsmSigningSecret(clients.ssm(), name)))
                .map(s -> new CachedSigningSecret(s, config.secretTtl(), clock));
        Optional<JobSpecSource> specs = config.jobsDirectory().map(DirectoryJobSpecSource::new);
        this.webhooks = secret.map(s -> new WebhookHandler(s, publisher, specs, config.maxBodyBytes(), clock, log));
        this.notifications = new NotificationHandler(publisher, clock, log);
        this.batches = new SqsBatchHandler(publisher, clock, log);
        primeJson();
    }

    /**
     * Lambda runs the constructor in its init phase, on a full CPU, before the first request waits:
     * loading Jackson's readers and writers there takes that time off the first invocation.
     */
    private static void primeJson() {
        try {
            Json.MAPPER.readTree("{\"Records\":[{\"body\":\"x\",\"n\":1,\"b\":true}]}");
            Json.write(HttpResponses.problem(400, "priming", List.of("p")));
            Json.write(new com.amazonaws.services.lambda.runtime.events.SQSBatchResponse(List.of()));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        JsonNode event = Json.MAPPER.readTree(input);
        String requestId = context == null ? "-" : context.getAwsRequestId();
        Object response = handle(event == null ? Json.object() : event, requestId);
        if (response != null) {
            Json.MAPPER.writeValue(output, response);
        }
    }

    /** The response to write (an HTTP response or a batch response), or null for notifications. */
    Object handle(JsonNode event, String requestId) {
        if (event.path("requestContext").has("http")) {
            return webhooks.map(w -> (Object) w.handle(event, requestId)).orElseGet(() ->
                    HttpResponses.problem(503, "webhooks are not enabled: the function has no signing secret configured", List.of()));
        }
        if (SqsBatchHandler.isSqsEvent(event)) {
            return batches.handle(event, requestId);
        }
        if (NotificationHandler.isSnsEvent(event) || NotificationHandler.isS3Event(event)) {
            notifications.handle(event, requestId);
            return null;
        }
        throw new IllegalArgumentException("unrecognised event: expected an API Gateway HTTP API request (payload 2.0), "
                + "an SQS batch, an SNS event or an S3 event notification");
    }
}
