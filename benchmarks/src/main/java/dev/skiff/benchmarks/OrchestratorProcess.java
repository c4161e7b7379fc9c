package dev.skiff.benchmarks;

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
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The packaged orchestrator ({@code java -jar quarkus-run.jar}) as a child process on a free loopback port,
 * configured through its environment as a container would be, with its output in a log file.
 */
final class OrchestratorProcess implements AutoCloseable {

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);

    private final Process process;
    private final URI base;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private OrchestratorProcess(Process process, int port) {
        this.process = process;
        this.base = URI.create("http://127.0.0.1:" + port);
    }

    /** Starts the jar with {@code environment} added to this process's own, and waits until it is ready. */
    static OrchestratorProcess start(Path jar, Map<String, String> environment, Path log) throws Exception {
        return start(plainJava(jar), environment, log, READY_TIMEOUT);
    }

    /** As {@link #start(Path, Map, Path)}, waiting up to {@code readyWithin} (a service loading many specs). */
    static OrchestratorProcess start(Path jar, Map<String, String> environment, Path log, Duration readyWithin)
            throws Exception {
        return start(plainJava(jar), environment, log, readyWithin);
    }

    /** {@code java -jar} with no options: the JVM's own defaults (the service as shipped before skiff.jvm-options). */
    static List<String> plainJava(Path jar) {
        return List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar.toString());
    }

    /**
     * Starts {@code command} (which runs the service: {@link #plainJava}, or {@code ./skiff up}) with {@code environment}
     * added to this process's own, and waits until it is ready.
     */
    static OrchestratorProcess start(List<String> command, Map<String, String> environment, Path log) throws Exception {
        return start(command, environment, log, READY_TIMEOUT);
    }

    /** As {@link #start(List, Map, Path)}, waiting up to {@code readyWithin}. */
    static OrchestratorProcess start(List<String> command, Map<String, String> environment, Path log, Duration readyWithin)
            throws Exception {
        int port;
        try (var socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        var builder = new ProcessBuilder(command)
                .redirectErrorStream(true).redirectOutput(log.toFile());
        // Only what the benchmark gives: no profile or session of the caller's may reach moto's clients.
        builder.environment().keySet().removeIf(name -> name.startsWith("AWS_") || name.startsWith("SKIFF_"));
        builder.environment().putAll(environment);
        builder.environment().put("QUARKUS_HTTP_PORT", Integer.toString(port));
        var service = new OrchestratorProcess(builder.start(), port);
        try {
            service.awaitReady(log, readyWithin);
        } catch (Exception e) {
            service.close();
            throw e;
        }
        return service;
    }

    private void awaitReady(Path log, Duration readyWithin) throws Exception {
        Instant giveUp = Instant.now().plus(readyWithin);
        while (Instant.now().isBefore(giveUp)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the service exited with " + process.exitValue() + " at start; see " + log);
            }
            try {
                if (send(HttpRequest.newBuilder(base.resolve("/q/health/ready")).build()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            // Short, so that the startup benchmark's time to ready is not rounded up by the polling.
            Thread.sleep(10);
        }
        throw new IllegalStateException("the service was not ready within " + readyWithin.toSeconds() + " s; see " + log);
    }

    long pid() {
        return process.pid();
    }

    HttpResponse<String> post(String path, String json, String idempotencyKey) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(base.resolve(path)).header("Content-Type", "application/json")
                .header("Idempotency-Key", idempotencyKey).POST(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    String get(String path) throws IOException, InterruptedException {
        HttpResponse<String> response = send(HttpRequest.newBuilder(base.resolve(path)).build());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("GET " + path + " answered " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }

    private HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    /** A size field of {@code /proc/<pid>/status} ({@code VmRSS}, {@code VmHWM}) in kB; -1 once the process is gone. */
    long statusKb(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
                if (line.startsWith(field + ":")) {
                    return Long.parseLong(line.substring(field.length() + 1).trim().split("\\s+")[0]);
                }
            }
            throw new IllegalStateException("no " + field + " in /proc/" + process.pid() + "/status");
        } catch (IOException gone) {
            return -1;
        }
    }

    /** Asks the service to stop, and kills it if it has not within 20 s. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor();
        }
    }
}
