package dev.skiff.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;

class WebhookTriggerTest extends DefaultStackTest {



    @Test
    void shouldRunTheTriggersShadedJarWithItsHandlerAndSnapStart() {
        JsonNode function = skiff.properties(skiff.stack.trigger().function());

        assertThat(function.get("Handler").asText()).isEqualTo("dev.skiff.trigger.TriggerFunction::handleRequest");
        assertThat(function.get("Runtime").asText()).isEqualTo("java21");
        assertThat(function.get("MemorySize").asInt()).isEqualTo(1024);
        assertThat(function.at("/SnapStart/ApplyOn").asText()).isEqualTo("PublishedVersions");
        assertThat(Cfn.text(function.get("Role"))).isEqualTo("${" + skiff.logicalId(skiff.stack.trigger().role()) + ".Arn}");
        // The asset is the shaded jar as built: the cloud assembly holds a byte-for-byte copy.
        String key = function.at("/Code/S3Key").asText();
        Path asset = skiff.outdir.resolve("asset." + key);
        assertThat(key).endsWith(".jar");
        assertThat(asset).hasSameBinaryContentAs(Path.of("..", SkiffSettings.TRIGGER_JAR_IN_REPOSITORY));
    }

    @Test
    void shouldPublishToSkiffsBusWithTheSigningSecret() {
        JsonNode env = skiff.properties(skiff.stack.trigger().function()).at("/Environment/Variables");

        assertThat(env.get("SKIFF_TARGET").asText()).isEqualTo("eventbridge");
        assertThat(Cfn.text(env.get("SKIFF_EVENT_BUS"))).isEqualTo("${" + skiff.logicalId(skiff.stack.events().bus()) + "}");
        assertThat(Cfn.text(env.get("SKIFF_SIGNING_SECRET_ARN")))
                .isEqualTo("${" + skiff.logicalId(skiff.stack.trigger().signingSecret()) + "}");
        assertThat(env.size()).isEqualTo(3);
    }

    @Test
    void shouldLetTheFunctionReadItsSecretAndWriteItsLogsOnly() {
        Map<String, JsonNode> statements = skiff.roleStatements(skiff.stack.trigger().role());

        assertThat(statements.keySet()).containsExactlyInAnyOrder("WriteOwnLogs", "ReadSigningSecret", "PutTriggerEvents");
        assertThat(Cfn.texts(statements.get("ReadSigningSecret").get("Action"))).containsExactly("secretsmanager:GetSecretValue");
        assertThat(Cfn.texts(statements.get("ReadSigningSecret").get("Resource")))
                .containsExactly("${" + skiff.logicalId(skiff.stack.trigger().signingSecret()) + "}");
        assertThat(Cfn.texts(statements.get("WriteOwnLogs").get("Resource")))
                .containsExactly("${" + skiff.logicalId(skiff.stack.trigger().logGroup()) + ".Arn}");
        assertThat(skiff.properties(skiff.stack.trigger().role()).has("ManagedPolicyArns")).isFalse();
    }

    @Test
    void shouldGenerateTheSigningSecret() {
        JsonNode secret = skiff.properties(skiff.stack.trigger().signingSecret());
        assertThat(secret.at("/GenerateSecretString/PasswordLength").asInt()).isEqualTo(48);
        assertThat(secret.has("SecretString")).isFalse();
    }

    @Test
    void shouldRoutePostWebhooksToTheFunctionsAliasWithThrottlingAndAccessLogs() {
        template.resourceCountIs("AWS::ApiGatewayV2::Api", 1);
        template.hasResourceProperties("AWS::ApiGatewayV2::Api", Match.objectLike(Map.of("ProtocolType", "HTTP")));
        template.hasResourceProperties("AWS::ApiGatewayV2::Route", Match.objectLike(Map.of("RouteKey", "POST /webhooks")));
        template.hasResourceProperties("AWS::ApiGatewayV2::Integration", Match.objectLike(Map.of(
                "IntegrationType", "AWS_PROXY",
                "PayloadFormatVersion", "2.0",
                "IntegrationUri", Map.of("Ref", Match.stringLikeRegexp("TriggerFunctionAliaslive.*")))));
        JsonNode stage = skiff.properties(skiff.stack.trigger().stage());
        assertThat(stage.get("StageName").asText()).isEqualTo("$default");
        assertThat(stage.at("/DefaultRouteSettings/ThrottlingRateLimit").asInt()).isEqualTo(20);
        assertThat(stage.at("/DefaultRouteSettings/ThrottlingBurstLimit").asInt()).isEqualTo(40);
        assertThat(Cfn.text(stage.at("/AccessLogSettings/DestinationArn"))).endsWith(".Arn}");
        assertThat(stage.at("/AccessLogSettings/Format").asText()).contains("$context.requestId").contains("$context.status");
        template.hasResourceProperties("AWS::Lambda::Permission", Match.objectLike(Map.of(
                "Action", "lambda:InvokeFunction", "Principal", "apigateway.amazonaws.com")));
    }

    @Test
    void shouldTellTheOperatorTheWebhookUrl() {
        JsonNode output = skiff.template.at("/Outputs/WebhookUrl/Value");
        assertThat(Cfn.text(output)).endsWith("/webhooks");
    }
}
