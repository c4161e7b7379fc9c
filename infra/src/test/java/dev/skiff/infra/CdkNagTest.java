package dev.skiff.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.cdklabs.cdknag.AwsSolutionsChecks;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.Validations;
import software.amazon.awscdk.assertions.Annotations;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.cxapi.SynthesisMessage;
import software.amazon.awscdk.services.sqs.Queue;
import software.constructs.IConstruct;
import software.constructs.MetadataEntry;

/**
 * cdk-nag 3 runs as a CDK validation plugin: its findings go to the cloud assembly's validation report (not to
 * annotations), and an unacknowledged error fails the synthesis. The shared synthesis ran the AWS Solutions pack.
 */
class CdkNagTest extends DefaultStackTest {



    @Test
    void shouldLeaveNoUnacknowledgedFindingInTheValidationReport() throws Exception {
        JsonNode report = Synthesized.JSON.readTree(skiff.outdir.resolve("validation-report.json").toFile());

        // The report lists only plugins with violations: none.
        for (JsonNode plugin : report.get("pluginReports")) {
            assertThat(plugin.path("violations")).as(plugin.toString()).isEmpty();
        }
        assertThat(report.get("pluginReports")).isEmpty();
    }

    @Test
    void shouldLeaveNoUnacknowledgedWarningOrError() {
        Annotations annotations = Annotations.fromStack(skiff.stack);
        assertThat(annotations.findError("*", Match.anyValue()).stream().map(CdkNagTest::describe)).isEmpty();
        assertThat(annotations.findWarning("*", Match.anyValue()).stream().map(CdkNagTest::describe)).isEmpty();
        assertThat(annotations.findError("*", Match.stringLikeRegexp("AwsSolutions-.*"))).isEmpty();
        assertThat(annotations.findWarning("*", Match.stringLikeRegexp("AwsSolutions-.*"))).isEmpty();
    }

    private static String describe(SynthesisMessage message) {
        return message.getId() + ": " + message.getEntry().getData();
    }

    @Test
    void shouldGiveEveryAcknowledgmentAReason() {
        Map<String, String> acknowledged = new LinkedHashMap<>();
        for (IConstruct construct : skiff.stack.getNode().findAll()) {
            for (MetadataEntry entry : construct.getNode().getMetadata()) {
                if (Validations.ACKNOWLEDGED_RULES_METADATA_KEY.equals(entry.getType())) {
                    ((Map<?, ?>) entry.getData()).forEach((id, reason) ->
                            acknowledged.put(construct.getNode().getPath() + " " + id, String.valueOf(reason)));
                }
            }
        }

        assertThat(acknowledged).isNotEmpty();
        assertThat(acknowledged.keySet()).anyMatch(k -> k.contains("AwsSolutions-IAM5[Resource::"))
                .anyMatch(k -> k.endsWith("AwsSolutions-ECS2"));
        acknowledged.forEach((id, reason) -> assertThat(reason).as(id).hasSizeGreaterThan(60));
    }

    @Test
    void shouldFailTheSynthesisOnAFindingNobodyAcknowledged() {
        App app = App.Builder.create().outdir(skiff.outdir.resolveSibling("nag-bites").toString())
                .context(Map.of("@aws-cdk/core:appMode", "inmemory")).build();
        Stack stack = new Stack(app, "Careless");
        new Queue(stack, "NoDeadLetterQueueNoTls");
        Validations.of(app).addPlugins(new AwsSolutionsChecks(app));

        assertThatThrownBy(app::synth).hasMessageContaining("AwsSolutions-SQS3").hasMessageContaining("AwsSolutions-SQS4");
    }
}
