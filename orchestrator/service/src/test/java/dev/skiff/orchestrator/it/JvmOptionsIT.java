package dev.skiff.orchestrator.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The service's JVM options (src/main/jvm/skiff.jvm-options) as ./skiff hands them to java: the JVM runs with them,
 * the user's SKIFF_JAVA_OPTS win, and a class-data archive that is missing or unusable costs nothing but time.
 */
class JvmOptionsIT {

    private static final Path ROOT = Path.of("../..").toAbsolutePath().normalize();
    private static final Path OPTIONS = ROOT.resolve("orchestrator/service/src/main/jvm/skiff.jvm-options");
    private static final Path JAR = Path.of("target/quarkus-app/quarkus-run.jar").toAbsolutePath();
    private static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();

    @TempDir
    Path work;

    @Test
    void shouldStartTheServiceThroughSkiffUpWithTheSharedOptionsAndTheUsersLast() throws Exception {
        // Given ./skiff up with a heap ceiling of the user's
        int port = freePort();
        Process skiff = start(List.of(ROOT.resolve("skiff").toString(), "up"), port,
                Map.of("SKIFF_JAVA_OPTS", "-Xmx100m"));
        try {
            // When it is ready
            awaitReady(skiff, port);

            // Then its JVM (./skiff execs it) runs on the options file and the archive, with the user's option last
            List<String> arguments = Arrays.asList(Files.readString(Path.of("/proc", Long.toString(skiff.pid()),
                    "cmdline"), StandardCharsets.UTF_8).split("\0"));
            assertThat(arguments).containsSubsequence("@orchestrator/service/src/main/jvm/skiff.jvm-options",
                    "-XX:SharedArchiveFile=orchestrator/service/target/quarkus-app/skiff-cds.jsa", "-Xmx100m", "-jar");
            // and the JVM took them: the file's collector, the user's heap ceiling over the file's
            String flags = jcmd(skiff.pid(), "VM.flags");
            assertThat(flags).contains("-XX:+UseSerialGC", "-XX:MaxHeapSize=104857600");
        } finally {
            stop(skiff);
        }
    }

    @Test
    void shouldStartWhenTheArchiveIsMissing() throws Exception {
        assertStartsWithArchive(work.resolve("no-such-archive.jsa"));
    }

    @Test
    void shouldStartWhenTheArchiveIsNotOneThisJvmCanUse() throws Exception {
        // Given an archive no JVM wrote (as one from another JDK build, which the JVM also refuses to map)
        Path archive = Files.writeString(work.resolve("other-jvm.jsa"), "not a class-data archive");

        assertStartsWithArchive(archive);
    }

    /** The jar started with the shared options and {@code archive} becomes ready. */
    private void assertStartsWithArchive(Path archive) throws Exception {
        int port = freePort();
        Process service = start(List.of(JAVA, "@" + OPTIONS, "-XX:SharedArchiveFile=" + archive, "-jar", JAR.toString(),
                "up"), port, Map.of());
        try {
            awaitReady(service, port);
            assertThat(jcmd(service.pid(), "VM.flags")).contains("-XX:+UseSerialGC");
        } finally {
            stop(service);
        }
    }

    private Process start(List<String> command, int port, Map<String, String> environment) throws IOException {
        var builder = new ProcessBuilder(new ArrayList<>(command)).directory(ROOT.toFile()).redirectErrorStream(true)
                .redirectOutput(work.resolve("service.log").toFile());
        builder.environment().keySet().removeIf(name -> name.startsWith("SKIFF_") || name.equals("JAVA_OPTS")
                || name.equals("JDK_JAVA_OPTIONS"));
        builder.environment().putAll(Map.of("QUARKUS_HTTP_PORT", Integer.toString(port),
                "SKIFF_DATA_DIR", Files.createDirectories(work.resolve("data")).toString(),
                "SKIFF_JOBS_LOCATION", Files.createDirectories(work.resolve("jobs")).toString()));
        builder.environment().putAll(environment);
        return builder.start();
    }

    private void awaitReady(Process process, int port) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        Instant giveUp = Instant.now().plusSeconds(120);
        while (Instant.now().isBefore(giveUp)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the service exited with " + process.exitValue() + ": "
                        + Files.readString(work.resolve("service.log")));
            }
            try {
                if (http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/health/ready")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("not ready within 120 s: " + Files.readString(work.resolve("service.log")));
    }

    private static String jcmd(long pid, String command) throws Exception {
        Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                Long.toString(pid), command).redirectErrorStream(true).start();
        String out = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        jcmd.waitFor(30, TimeUnit.SECONDS);
        return out;
    }

    private static void stop(Process process) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }

    private static int freePort() throws IOException {
        try (var socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
