package dev.skiff.orchestrator.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI as users run it: {@code java -jar quarkus-run.jar COMMAND ...} (what ./skiff runs) against the packaged
 * service. A client command runs in a plain JVM: it never starts Quarkus (no port, no data directory), and it exits
 * with its own code.
 */
class CliJarIT {

    private static final Path JAR = Path.of("target/quarkus-app/quarkus-run.jar");

    @TempDir
    Path work;

    /** What a command printed and how it exited. */
    private record Ran(int exit, String out, String err) {
    }

    @Test
    void shouldRunAJobReadItsLogAndListItThroughThePackagedCli() throws Exception {
        // Given the packaged service with one job
        Path jobs = Files.createDirectories(work.resolve("jobs"));
        Files.writeString(jobs.resolve("hello.yaml"), """
                name: hello
                owner: test-team
                image: example/hello:1
                command: ["sh", "-c", "echo hello $WHO"]
                parameters:
                  WHO: {required: true}
                """);
        try (var service = ServiceProcess.start(Files.createDirectories(work.resolve("data")), jobs,
                work.resolve("service.log"), Map.of())) {
            // When a run is started and waited for through the CLI
            Ran run = skiff("run", "hello", "-p", "WHO=jar", "--wait", "--output", "json", "--url", service.url());

            // Then it exits 0 with the ended run as JSON, and its log and the runs table show it
            assertThat(run.exit()).as(run.err()).isZero();
            String runId = new com.fasterxml.jackson.databind.ObjectMapper().readTree(run.out()).path("runId").asText();
            assertThat(run.out()).contains("\"status\":\"SUCCEEDED\"");
            assertThat(skiff("logs", runId, "--url", service.url()).out()).isEqualTo("hello jar\n");
            assertThat(skiff("runs", "--url", service.url()).out()).contains(runId).contains("SUCCEEDED");
            // And no client command started a service of its own
            assertThat(run.out() + run.err()).doesNotContain("started in", "Listening on");
        }
    }

    @Test
    void shouldExitWithTheCommandsCodeWithoutStartingAServer() throws Exception {
        // Given a port nothing listens on
        int port;
        try (var socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }

        // When / Then an orchestrator that is not there: exit 1, one line naming it and how to start one
        Ran jobs = skiff("jobs", "--url", "http://127.0.0.1:" + port);
        assertThat(jobs.exit()).isEqualTo(1);
        assertThat(jobs.err().lines()).singleElement().asString().contains("http://127.0.0.1:" + port, "./skiff up");
        // And a usage error exits 2, help and completion 0
        assertThat(skiff("runs", "--limit", "many").exit()).isEqualTo(2);
        assertThat(skiff("--help").out()).contains("Usage: skiff", "logs", "cost");
        assertThat(skiff("completion", "bash").out()).contains("complete -F");
    }

    private Ran skiff(String... args) throws Exception {
        var command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dquarkus.log.level=WARN", "-jar", JAR.toString()));
        command.addAll(List.of(args));
        Path out = Files.createTempFile(work, "out", ".txt");
        Path err = Files.createTempFile(work, "err", ".txt");
        Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
            throw new AssertionError("skiff " + String.join(" ", args) + " did not exit within 60 s: "
                    + Files.readString(err, StandardCharsets.UTF_8));
        }
        return new Ran(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }
}
