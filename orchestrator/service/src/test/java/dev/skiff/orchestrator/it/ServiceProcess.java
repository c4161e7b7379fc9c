package dev.skiff.orchestrator.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** The packaged orchestrator started as users start it ({@code java -jar}), on a free loopback port. */
final class ServiceProcess implements AutoCloseable {

    private static final Path JAR = Path.of("target/quarkus-app/quarkus-run.jar");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    private final String base;
    private final HttpClient http = HttpClient.newHttpClient();

    private ServiceProcess(Process process, int port) {
        this.process = process;
        this.base = "http://127.0.0.1:" + port;
    }

    static ServiceProcess start(Path dataDir, Path jobsDir, Path log, Map<String, String> config) throws Exception {
        int port = freePort();
        var service = new ServiceProcess(launch(port, dataDir, jobsDir, log, config), port);
        service.awaitReady(log);
        return service;
    }

    /** Starts the service and waits for it to exit by itself, as when it refuses its configuration. */
    static int exitCode(Path dataDir, Path jobsDir, Path log, Map<String, String> config) throws Exception {
        var process = launch(freePort(), dataDir, jobsDir, log, config);
        if (!process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
            throw new IllegalStateException("the service did not exit within 60 s; see " + log);
        }
        return process.exitValue();
    }

    private static Process launch(int port, Path dataDir, Path jobsDir, Path log, Map<String, String> config)
            throws IOException {
        if (!Files.isRegularFile(JAR)) {
            throw new IllegalStateException(JAR.toAbsolutePath() + " is missing: run the integration tests through `./mvnw verify`");
        }
        var command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dquarkus.http.port=" + port, "-Dskiff.data-dir=" + dataDir, "-Dskiff.jobs.location=" + jobsDir));
        config.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.addAll(List.of("-jar", JAR.toString()));
        return new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    }

    private static int freePort() throws IOException {
        try (var socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private void awaitReady(Path log) throws Exception {
        Instant giveUp = Instant.now().plusSeconds(60);
        while (Instant.now().isBefore(giveUp)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the service exited with " + process.exitValue() + "; see " + log);
            }
            try {
                if (http.send(HttpRequest.newBuilder(URI.create(base + "/q/health/ready")).build(),
                        HttpResponse.BodyHandlers.ofString()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("the service was not ready within 60 s; see " + log);
    }

    /** Where it serves: http://127.0.0.1:PORT. */
    String url() {
        return base;
    }

    JsonNode post(String path, String body, String idempotencyKey) throws Exception {
        var request = HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json")
                .header("Idempotency-Key", idempotencyKey).POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return read(http.send(request, HttpResponse.BodyHandlers.ofString()), request);
    }

    JsonNode get(String path) throws Exception {
        var request = HttpRequest.newBuilder(URI.create(base + path)).GET().build();
        return read(http.send(request, HttpResponse.BodyHandlers.ofString()), request);
    }

    private static JsonNode read(HttpResponse<String> response, HttpRequest request) throws IOException {
        if (response.statusCode() >= 300) {
            throw new IllegalStateException(request.uri() + " answered " + response.statusCode() + ": " + response.body());
        }
        return JSON.readTree(response.body());
    }

    /** The runs, once every one has ended (or as they are after 60 s). */
    List<JsonNode> awaitEnded(List<String> runIds) throws Exception {
        Instant giveUp = Instant.now().plusSeconds(60);
        while (true) {
            var runs = new ArrayList<JsonNode>();
            for (String id : runIds) {
                runs.add(get("/runs/" + id));
            }
            boolean ended = runs.stream().allMatch(r ->
                    Arrays.asList("SUCCEEDED", "FAILED", "TIMED_OUT", "CANCELLED").contains(r.path("status").asText()));
            if (ended || Instant.now().isAfter(giveUp)) {
                return runs;
            }
            Thread.sleep(100);
        }
    }

    /** SIGKILL: no shutdown hook, no flush, as when the machine or the OOM killer ends it. */
    void killHard() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
                killHard();
            }
        }
    }

    static Duration since(Instant start) {
        return Duration.between(start, Instant.now());
    }
}
