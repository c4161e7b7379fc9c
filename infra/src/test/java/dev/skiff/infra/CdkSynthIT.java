package dev.skiff.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code npx cdk synth} in infra/ with the CLI pinned in package.json, offline: no AWS credentials, no version
 * check, no notices. Runs after package, so target/classes and target/cdk-classpath.txt (cdk.json's app) exist.
 * It fails, never skips, when Node or npm is missing: the README's synth instructions depend on them.
 */
class CdkSynthIT {

    private static final Path MODULE = Path.of("").toAbsolutePath();
    private static final Path OUT = MODULE.resolve("target/cdk-synth-it");

    @Test
    void shouldSynthesizeTheAppOfflineWithTheCdkCli() throws Exception {
        if (!Files.isDirectory(MODULE.resolve("node_modules/aws-cdk"))) {
            run(List.of("npm", "ci", "--no-audit", "--no-fund"), 300);
        }

        String output = run(List.of("npx", "--no-install", "cdk", "synth", "--quiet", "--no-notices", "--no-version-reporting",
                "--output", OUT.toString(),
                "-c", SkiffSettings.ORCHESTRATOR_IMAGE + "=" + Synthesized.IMAGE,
                "-c", SkiffSettings.REGION + "=" + Synthesized.REGION), 300);

        Path template = OUT.resolve(SkiffApp.STACK_ID + ".template.json");
        assertThat(template).as(output).isRegularFile();
        JsonNode resources = Synthesized.JSON.readTree(template.toFile()).get("Resources");
        List<String> types = new ArrayList<>();
        resources.forEach(r -> types.add(r.get("Type").asText()));
        assertThat(types).contains("AWS::ECS::Cluster", "AWS::ECS::Service", "AWS::Lambda::Function",
                "AWS::ApiGatewayV2::Api", "AWS::Events::EventBus", "AWS::CloudWatch::Dashboard");
        assertThat(OUT.resolve("validation-report.json")).isRegularFile();
        assertThat(output).doesNotContain("AwsSolutions-");
    }

    /** Runs a command in the module directory without AWS credentials; fails with its output unless it exits 0. */
    private static String run(List<String> command, long timeoutSeconds) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(MODULE.toFile()).redirectErrorStream(true);
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(name -> name.startsWith("AWS_") || name.startsWith("CDK_DEFAULT_"));
        env.put("AWS_EC2_METADATA_DISABLED", "true");
        env.put("CDK_DISABLE_VERSION_CHECK", "1");
        env.put("CDK_DISABLE_CLI_TELEMETRY", "true");
        Path log = Files.createTempFile(Files.createDirectories(MODULE.resolve("target")), "cdk-synth-it", ".log");
        builder.redirectOutput(log.toFile());
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new AssertionError(command.get(0) + " is not on PATH: Node.js 18+ and npm are needed to synthesize with the"
                    + " CDK CLI (" + e.getMessage() + ")", e);
        }
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not finish in " + timeoutSeconds + " s:\n"
                    + Files.readString(log, StandardCharsets.UTF_8));
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as(String.join(" ", command) + " exit code; output:\n" + output).isZero();
        return output;
    }
}
