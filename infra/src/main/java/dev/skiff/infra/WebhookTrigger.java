package dev.skiff.infra;

import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.aws_apigatewayv2_integrations.HttpLambdaIntegration;
import software.amazon.awscdk.services.apigateway.AccessLogFormat;
import software.amazon.awscdk.services.apigatewayv2.AddRoutesOptions;
import software.amazon.awscdk.services.apigatewayv2.HttpApi;
import software.amazon.awscdk.services.apigatewayv2.HttpMethod;
import software.amazon.awscdk.services.apigatewayv2.HttpStage;
import software.amazon.awscdk.services.apigatewayv2.IAccessLogDestination;
import software.amazon.awscdk.services.apigatewayv2.IAccessLogSettings;
import software.amazon.awscdk.services.apigatewayv2.LogGroupLogDestination;
import software.amazon.awscdk.services.apigatewayv2.ThrottleSettings;
import software.amazon.awscdk.services.events.IEventBus;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.lambda.Alias;
import software.amazon.awscdk.services.lambda.Architecture;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.lambda.Runtime;
import software.amazon.awscdk.services.lambda.SnapStartConf;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.amazon.awscdk.services.secretsmanager.Secret;
import software.amazon.awscdk.services.secretsmanager.SecretStringGenerator;
import software.constructs.Construct;

/**
 * The Lambda trigger (lambda-trigger's shaded jar) behind an HTTP API: {@code POST /webhooks} with a signed
 * JSON body becomes a {@code skiff.trigger} event on Skiff's bus. The job is named in the signed body, so the
 * route carries no job in its path (an unsigned path segment could disagree with it). The function authenticates
 * every request with the shared signing secret, which it alone may read.
 */
public final class WebhookTrigger extends Construct {

    public static final String HANDLER = "dev.skiff.trigger.TriggerFunction::handleRequest";
    public static final String WEBHOOK_PATH = "/webhooks";

    private final Secret signingSecret;
    private final Role role;
    private final Function function;
    private final Alias alias;
    private final HttpApi api;
    private final HttpStage stage;
    private final LogGroup logGroup;
    private final LogGroup accessLog;

    public WebhookTrigger(Construct scope, String id, SkiffSettings settings, IEventBus bus, RetentionDays retention) {
        super(scope, id);
        this.signingSecret = Secret.Builder.create(this, "SigningSecret")
                .description("Skiff webhooks: the shared HMAC-SHA256 key that senders sign requests with")
                .generateSecretString(SecretStringGenerator.builder().excludePunctuation(true).passwordLength(48).build())
                .build();
        this.logGroup = LogGroup.Builder.create(this, "Logs").retention(retention).build();

        this.role = Role.Builder.create(this, "Role")
                .assumedBy(new ServicePrincipal("lambda.amazonaws.com"))
                .description("The Skiff trigger function: its own logs, the signing secret, trigger events on Skiff's bus")
                .build();
        role.addToPrincipalPolicy(PolicyStatement.Builder.create()
                .sid("WriteOwnLogs")
                .actions(List.of("logs:CreateLogStream", "logs:PutLogEvents"))
                .resources(List.of(logGroup.getLogGroupArn()))
                .build());
        role.addToPrincipalPolicy(PolicyStatement.Builder.create()
                .sid("ReadSigningSecret")
                .actions(List.of("secretsmanager:GetSecretValue"))
                .resources(List.of(signingSecret.getSecretArn()))
                .build());

        this.function = Function.Builder.create(this, "Function")
                .description("Skiff trigger: signed webhooks become skiff.trigger events")
                .runtime(Runtime.JAVA_21)
                .architecture(Architecture.X86_64)
                .handler(HANDLER)
                .code(Code.fromAsset(settings.triggerJar().toAbsolutePath().toString()))
                .memorySize(1024)
                .timeout(Duration.seconds(29))
                .role(role)
                .logGroup(logGroup)
                // A restored snapshot skips the JVM's start and the clients' set-up on a cold start.
                .snapStart(SnapStartConf.ON_PUBLISHED_VERSIONS)
                .environment(Map.of(
                        "SKIFF_TARGET", "eventbridge",
                        "SKIFF_EVENT_BUS", bus.getEventBusName(),
                        "SKIFF_SIGNING_SECRET_ARN", signingSecret.getSecretArn()))
                .build();
        this.alias = function.addAlias("live");

        this.accessLog = LogGroup.Builder.create(this, "AccessLog").retention(retention).build();
        this.api = HttpApi.Builder.create(this, "Api")
                .description("Skiff webhooks")
                .createDefaultStage(false)
                .build();
        this.stage = HttpStage.Builder.create(this, "Stage")
                .httpApi(api)
                .stageName("$default")
                .autoDeploy(true)
                .throttle(ThrottleSettings.builder()
                        .rateLimit(settings.webhookRateLimit())
                        .burstLimit(settings.webhookBurstLimit())
                        .build())
                .accessLogSettings(new IAccessLogSettings() {
                    @Override
                    public IAccessLogDestination getDestination() {
                        return new LogGroupLogDestination(accessLog);
                    }

                    @Override
                    public AccessLogFormat getFormat() {
                        return AccessLogFormat.custom("{\"requestId\":\"$context.requestId\",\"ip\":\"$context.identity.sourceIp\","
                                + "\"time\":\"$context.requestTime\",\"method\":\"$context.httpMethod\",\"route\":\"$context.routeKey\","
                                + "\"status\":\"$context.status\",\"length\":\"$context.responseLength\","
                                + "\"latency\":\"$context.responseLatency\",\"error\":\"$context.integrationErrorMessage\"}");
                    }
                })
                .build();
        api.addRoutes(AddRoutesOptions.builder()
                .path(WEBHOOK_PATH)
                .methods(List.of(HttpMethod.POST))
                .integration(new HttpLambdaIntegration("Webhook", alias))
                .build());
    }

    public Secret signingSecret() {
        return signingSecret;
    }

    public Role role() {
        return role;
    }

    public Function function() {
        return function;
    }

    public HttpApi api() {
        return api;
    }

    public HttpStage stage() {
        return stage;
    }

    public LogGroup logGroup() {
        return logGroup;
    }

    /** Where senders POST their signed webhooks. */
    public String webhookUrl() {
        return api.getApiEndpoint() + WEBHOOK_PATH;
    }
}
