package dev.skiff.orchestrator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.orchestrator.cli.StubOrchestrator.Received;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code skiff apply} against a JDK HTTP server that plays the orchestrator's PUT /jobs/{name}. */
class ApplyCommandTest {

    @TempDir
    Path dir;

    private final ByteArrayOutputStream output = new ByteArrayOutputStream();
    private final ByteArrayOutputStream errors = new ByteArrayOutputStream();
    private StubOrchestrator server;
    private List<Received> received;

    @BeforeEach
    void startStub() throws IOException {
        server = StubOrchestrator.start(request -> {
            if (request.path().endsWith("/theirs")) {
                return new StubOrchestrator.Answer(403, "{\"status\":403,\"detail\":\"team analytics may not apply job theirs\"}");
            }
            return request.path().endsWith("/known") ? new StubOrchestrator.Answer(200, "{\"name\":\"known\"}")
                    : new StubOrchestrator.Answer(201, "{\"name\":\"fresh\"}");
        });
        received = server.received();
    }

    @AfterEach
    void stopStub() {
        server.close();
    }

    private String url() {
        return "http://127.0.0.1:" + server.port() + "/";
    }

    private String spec(String fileName, String name) throws IOException {
        return Files.writeString(dir.resolve(fileName), """
                name: %s
                owner: analytics
                image: example/%s:1
                command: ["true"]
                """.formatted(name, name)).toString();
    }

    private int apply(Map<String, String> env, String... args) {
        String[] command = new String[args.length + 1];
        command[0] = "apply";
        System.arraycopy(args, 0, command, 1, args.length);
        return SkiffCli.execute(new Terminal(env, new PrintStream(output, true, StandardCharsets.UTF_8),
                new PrintStream(errors, true, StandardCharsets.UTF_8), false, Duration.ofMillis(10)), command);
    }

    private List<String> lines() {
        return output.toString(StandardCharsets.UTF_8).lines().toList();
    }

    @Test
    void shouldPutEachFileAndPrintOneLineEachWhenAllAreAccepted() throws IOException {
        // Given a new job and a known one
        String fresh = spec("fresh.yaml", "fresh");
        String known = spec("known.yaml", "known");

        // When both are applied with a token from the environment
        int exit = apply(Map.of("SKIFF_TOKEN", "secret-token"), "--url", url(), fresh, known);

        // Then each was PUT as YAML with the bearer token, and each has its line
        assertThat(exit).isZero();
        assertThat(received).extracting(Received::path).containsExactly("/jobs/fresh", "/jobs/known");
        assertThat(received).allSatisfy(r -> {
            assertThat(r.contentType()).isEqualTo("application/yaml");
            assertThat(r.authorization()).isEqualTo("Bearer secret-token");
        });
        assertThat(received.get(0).body()).contains("name: fresh");
        assertThat(lines()).containsExactly(fresh + ": created job fresh", known + ": updated job known");
        assertThat(output.toString(StandardCharsets.UTF_8)).doesNotContain("secret-token");
        assertThat(errors.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void shouldExitNonZeroAndSayWhyWhenOneFileIsRefusedOrInvalid() throws IOException {
        // Given a job of another team, an invalid spec and a good one
        String theirs = spec("theirs.yaml", "theirs");
        Path broken = Files.writeString(dir.resolve("broken.yaml"), "name: Broken_Name\n");
        String fresh = spec("fresh.yaml", "fresh");

        // When all three are applied with --token
        int exit = apply(Map.of(), "--url", url(), "--token", "t1", theirs, broken.toString(), fresh);

        // Then the refused one prints the server's detail, the invalid one is not sent, the good one is applied
        assertThat(exit).isEqualTo(1);
        assertThat(received).extracting(Received::path).containsExactly("/jobs/theirs", "/jobs/fresh");
        assertThat(lines().get(0)).isEqualTo(theirs + ": job theirs not applied: 403 team analytics may not apply job theirs");
        assertThat(lines()).contains(broken + ": invalid, not sent", fresh + ": created job fresh");
        assertThat(lines()).anyMatch(line -> line.startsWith("  " + broken + ": name: Broken_Name"));
    }

    @Test
    void shouldPrintUsageWhenNoFileIsGiven() {
        // Given / When / Then
        assertThat(apply(Map.of(), "--url", url())).isEqualTo(2);
        assertThat(lines()).isEmpty();
        assertThat(errors.toString(StandardCharsets.UTF_8)).contains("Missing required parameter", "FILE")
                .contains("Usage: skiff apply");
    }

    @Test
    void shouldFailTheFileWhenTheOrchestratorCannotBeReached() throws IOException {
        // Given a stopped server
        String fresh = spec("fresh.json", "fresh");
        server.close();

        // When / Then
        assertThat(apply(Map.of(), "--url", url(), fresh)).isEqualTo(1);
        assertThat(lines()).singleElement().asString().startsWith(fresh + ": cannot reach http://127.0.0.1:");
    }

    @Test
    void shouldRefuseToSendATokenOverPlainHttpToAnotherMachineWithoutInsecure() throws IOException {
        // Given a spec, a token and an orchestrator on another machine reached over plain http
        String fresh = spec("fresh.yaml", "fresh");

        // When it is applied without --insecure
        int exit = apply(Map.of("SKIFF_TOKEN", "secret-token"), "--url", "http://skiff.invalid:8080", fresh);

        // Then nothing was sent, and stderr says why and what to do
        assertThat(exit).isEqualTo(2);
        assertThat(lines()).isEmpty();
        assertThat(errors.toString(StandardCharsets.UTF_8))
                .contains("http://skiff.invalid:8080", "plain http", "https://", "--insecure")
                .doesNotContain("secret-token");
    }

    @Test
    void shouldWarnOnStderrBeforeSendingWhenInsecureIsGiven() throws IOException {
        // Given / When the same, with --insecure
        String fresh = spec("fresh.yaml", "fresh");
        int exit = apply(Map.of("SKIFF_TOKEN", "secret-token"), "--insecure", "--url", "http://skiff.invalid:8080", fresh);

        // Then it warned, and tried (the name never resolves, so the file fails to reach it)
        assertThat(exit).isEqualTo(1);
        assertThat(errors.toString(StandardCharsets.UTF_8)).startsWith("skiff apply: warning:")
                .contains("http://skiff.invalid:8080", "readable by anyone on the network").doesNotContain("secret-token");
        assertThat(lines()).singleElement().asString().startsWith(fresh + ": cannot reach http://skiff.invalid:8080");
    }

    @Test
    void shouldSendWithoutWarningWhenThereIsNoTokenOrTheHostIsThisMachine() throws IOException {
        // Given
        String fresh = spec("fresh.yaml", "fresh");

        // When / Then no token over plain http to another machine: nothing secret to protect
        assertThat(apply(Map.of(), "--url", "http://skiff.invalid:8080", fresh)).isEqualTo(1);
        assertThat(lines()).singleElement().asString().startsWith(fresh + ": cannot reach");
        // And a token to localhost, by name
        assertThat(apply(Map.of("SKIFF_TOKEN", "t"), "--url", "http://localhost:" + server.port(), fresh))
                .isZero();
        assertThat(errors.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void shouldPrintTheApisAnswersAsAJsonArrayWithOutputJson() throws IOException {
        // Given
        String fresh = spec("fresh.yaml", "fresh");
        String theirs = spec("theirs.yaml", "theirs");

        // When
        int exit = apply(Map.of(), "--url", url(), "--output", "json", fresh, theirs);

        // Then stdout is the array of answers, as the API sent them, and the lines went to stderr
        assertThat(exit).isEqualTo(1);
        assertThat(new com.fasterxml.jackson.databind.ObjectMapper().readTree(output.toString(StandardCharsets.UTF_8)))
                .extracting(Object::toString)
                .containsExactly("{\"name\":\"fresh\"}", "{\"status\":403,\"detail\":\"team analytics may not apply job theirs\"}");
        assertThat(errors.toString(StandardCharsets.UTF_8)).contains(fresh + ": created job fresh");
    }
}
