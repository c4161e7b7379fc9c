package dev.skiff.trigger;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The cold start of the packaged function: a new JVM on target/skiff-lambda-trigger.jar builds the
 * handler from its environment and handles one signed webhook against moto (secret from Secrets
 * Manager, PutEvents to a bus). Prints JVM start + init + first invocation; the figure is informative,
 * the test only fails when the invocation does.
 */
class ColdStartIT {

    @Test
    void shouldStartAndHandleAFirstWebhookWhenRunFromTheShadedJar() throws Exception {
        // Given a bus delivering to a queue, the secret, and a request signed now
        var aws = new MotoAws();
        String queue = aws.busDeliveringTo("skiff", "skiff-intake");
        String arn = aws.secrets.createSecret(r -> r.name("skiff/webhook").secretString(Fixtures.SECRET)).arn();
        String timestamp = Long.toString(Instant.now().getEpochSecond());
        var request = Fixtures.webhook("{\"job\":\"backfill\",\"idempotencyKey\":\"cold-start\"}", timestamp, Fixtures.SECRET);
        Path event = Files.writeString(Path.of("target", "cold-start-event.json"), Json.write(request));
        Path jar = Path.of(System.getProperty("lambda.artifact", "target/skiff-lambda-trigger.jar"));
        assertThat(jar).isRegularFile();

        // When: the flags are those Lambda's Java runtime starts the JVM with (C1 only)
        var command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1",
                "-cp", jar + java.io.File.pathSeparator + Path.of("target", "test-classes"),
                ColdStartProbe.class.getName(), event.toString());
        var builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(aws.environment(java.util.Map.of(
                "SKIFF_EVENT_BUS", "skiff", "SKIFF_SIGNING_SECRET_ARN", arn,
                "AWS_ACCESS_KEY_ID", "test", "AWS_SECRET_ACCESS_KEY", "test")));
        long started = System.nanoTime();
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        long wallMs = Duration.ofNanos(System.nanoTime() - started).toMillis();

        // Then
        System.out.println(output.strip());
        System.out.println("cold-start processWallMs=" + wallMs + " (JVM start, init, first invocation and exit; jar "
                + Files.size(jar) / 1024 + " KiB)");
        assertThat(process.exitValue()).as(output).isZero();
        assertThat(output).contains("\"statusCode\":202");
        assertThat(aws.receive(queue, 1)).hasSize(1);
    }
}
