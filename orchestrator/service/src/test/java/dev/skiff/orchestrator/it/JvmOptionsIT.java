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
 * the user's SKIFF_JAVA_OPTS win, a JDK 25 runs with the AOT cache ./skiff trained and Java 17 with the class-data
 * archive ./skiff wrote, and an archive or cache that is missing or unusable costs nothing but time.
 */
class JvmOptionsIT {

    private static final Path ROOT = Path.of("../..").toAbsolutePath().normalize();
    private static final Path OPTIONS = ROOT.resolve("orchestrator/service/src/main/jvm/skiff.jvm-options");
    private static final Path JAR = Path.of("target/quarkus-app/quarkus-run.jar").toAbsolutePath();
    private static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();

    @TempDir
    Path work;

    @Test
    void shouldStartTheServiceThroughSkiffUpOnAJdk25WithItsAotCacheAndTheUsersOptionsLast() throws Exception {
        // Given ./skiff up with a heap ceiling of the user's, on a machine with a JDK 25 under /usr/lib/jvm
        int port = freePort();
        Process skiff = start(List.of(ROOT.resolve("skiff").toString(), "up"), port,
                Map.of("SKIFF_JAVA_OPTS", "-Xmx100m", "SKIFF_JVM_DIRS", "/usr/lib/jvm"));
        try {
            // When it is ready
            awaitReady(skiff, port);

            // Then its JVM (./skiff execs it) is the JDK 25, on the options file and the AOT cache of this build,
            // with the user's option last
            Path java = Path.of("/proc", Long.toString(skiff.pid()), "exe").toRealPath();
            assertThat(java).isEqualTo(jdk25().resolve("bin/java").toRealPath());
            assertThat(arguments(skiff)).containsSubsequence("@orchestrator/service/src/main/jvm/skiff.jvm-options",
                    "-XX:AOTCache=orchestrator/service/target/quarkus-app/skiff.aot", "-Xmx100m", "-jar");
            assertThat(ROOT.resolve("orchestrator/service/target/quarkus-app/skiff.aot")).isNotEmptyFile();
            // and the JVM took them: the file's collector and later C2, the user's heap ceiling over the file's, the
            // cache
            String flags = jcmd(java.getParent(), skiff.pid(), "VM.flags");
            assertThat(flags).contains("-XX:+UseSerialGC", "-XX:Tier4InvocationThreshold=20000",
                    "-XX:MaxHeapSize=104857600");
            assertThat(jcmd(java.getParent(), skiff.pid(), "VM.command_line"))
                    .contains("-XX:AOTCache=orchestrator/service/target/quarkus-app/skiff.aot");
        } finally {
            stop(skiff);
        }
    }

    @Test
    void shouldStartTheServiceThroughSkiffUpOnJava17WithItsClassDataArchiveWhenNoJdk25IsFound() throws Exception {
        // Given ./skiff up where only the Java 17 running this test is found
        int port = freePort();
        Path java17 = Path.of(System.getProperty("java.home"));
        Process skiff = start(List.of(ROOT.resolve("skiff").toString(), "up"), port, Map.of(
                "SKIFF_JVM_DIRS", Files.createDirectories(work.resolve("no-jvms")).toString(),
                "JAVA_HOME", java17.toString(),
                "PATH", java17.resolve("bin") + ":" + System.getenv("PATH")));
        try {
            awaitReady(skiff, port);

            // Then it runs on that Java with the class-data archive ./skiff wrote for it
            assertThat(Path.of("/proc", Long.toString(skiff.pid()), "exe").toRealPath())
                    .isEqualTo(java17.resolve("bin/java").toRealPath());
            assertThat(arguments(skiff)).containsSubsequence("@orchestrator/service/src/main/jvm/skiff.jvm-options",
                    "-XX:SharedArchiveFile=orchestrator/service/target/quarkus-app/skiff-cds.jsa", "-jar");
            assertThat(jcmd(java17.resolve("bin"), skiff.pid(), "VM.flags")).contains("-XX:+UseSerialGC");
        } finally {
            stop(skiff);
        }
    }

    @Test
    void shouldStartWhenTheArchiveIsMissing() throws Exception {
        assertStartsWithArchive(JAVA, "-XX:SharedArchiveFile=" + work.resolve("no-such-archive.jsa"));
    }

    @Test
    void shouldStartWhenTheArchiveIsNotOneThisJvmCanUse() throws Exception {
        // Given an archive no JVM wrote (as one from another JDK build, which the JVM also refuses to map)
        Path archive = Files.writeString(work.resolve("other-jvm.jsa"), "not a class-data archive");

        assertStartsWithArchive(JAVA, "-XX:SharedArchiveFile=" + archive);
    }

    @Test
    void shouldStartOnAJdk25WhenTheAotCacheIsNotOneThisJvmCanUse() throws Exception {
        // Given a cache no JVM wrote (as one from another JDK build or of another jar, which the JVM refuses to map)
        Path cache = Files.writeString(work.resolve("other.aot"), "not an AOT cache");

        assertStartsWithArchive(jdk25().resolve("bin/java").toString(), "-XX:AOTCache=" + cache);
    }

    @Test
    void shouldStartTheEmbeddedDefaultWithoutLoadingTheHttpClientTlsOrTheCommandParser() throws Exception {
        // Given the service as ./skiff starts it, in its embedded default, on the example jobs,
        // with the JVM logging each class it loads
        int port = freePort();
        Path classes = work.resolve("classes.log");
        Process service = start(List.of(JAVA, "@" + OPTIONS, "-Xlog:class+load=info:file=" + classes, "-jar",
                JAR.toString(), "up"), port, Map.of("SKIFF_JOBS_LOCATION", ROOT.resolve("jobs/examples").toString()));
        try {
            // When it is ready
            awaitReady(service, port);

            // Then it has loaded no class of the JDK's HTTP client or of TLS: a webhook's client (and the TLS context it
            // sets up, a few hundred classes and a thread) is built when the first webhook is sent
            List<String> loaded = loadedClasses(classes);
            assertThat(loaded).contains("dev.skiff.orchestrator.config.SkiffRuntime");
            assertThat(loaded).filteredOn(name -> name.startsWith("jdk.internal.net.http.")
                    || name.startsWith("sun.security.ssl.")).isEmpty();
            // nor picocli: `up` alone, as ./skiff passes it, serves without building the commands' model
            assertThat(loaded).filteredOn(name -> name.startsWith("picocli.")).isEmpty();
            // nor any AWS SDK client or builder (issue 16): the clients are reached through one bean of a Skiff type,
            // since the container loads each bean's types when it starts. What still loads is the SQS client's
            // interface and its three supertypes: SmallRye's SQS connector, on the classpath for AWS mode's channels,
            // is a bean whatever the mode and names that type.
            assertThat(loaded).filteredOn(name -> name.startsWith("software.amazon.awssdk.")).containsOnly(
                    "software.amazon.awssdk.services.sqs.SqsAsyncClient", "software.amazon.awssdk.awscore.AwsClient",
                    "software.amazon.awssdk.core.SdkClient", "software.amazon.awssdk.utils.SdkAutoCloseable");
        } finally {
            stop(service);
        }
    }

    /** The names of the classes a JVM's {@code -Xlog:class+load} file lists. */
    private static List<String> loadedClasses(Path log) throws IOException {
        var name = java.util.regex.Pattern.compile("\\[class,load\\] (\\S+) ");
        return Files.readAllLines(log).stream().map(name::matcher).filter(java.util.regex.Matcher::find)
                .map(match -> match.group(1)).toList();
    }

    /** The jar started by {@code java} with the shared options and {@code archiveOption} becomes ready. */
    private void assertStartsWithArchive(String java, String archiveOption) throws Exception {
        int port = freePort();
        Process service = start(List.of(java, "@" + OPTIONS, archiveOption, "-jar", JAR.toString(), "up"), port,
                Map.of());
        try {
            awaitReady(service, port);
            assertThat(jcmd(Path.of(java).getParent(), service.pid(), "VM.flags")).contains("-XX:+UseSerialGC");
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

    /** The arguments of {@code process}'s command line, as the kernel has them. */
    private static List<String> arguments(Process process) throws IOException {
        return Arrays.asList(Files.readString(Path.of("/proc", Long.toString(process.pid()), "cmdline"),
                StandardCharsets.UTF_8).split("\0"));
    }

    /** The JDK 25 or newer of this machine's /usr/lib/jvm (every machine of this project's image has one). */
    private static Path jdk25() throws IOException {
        try (var homes = Files.list(Path.of("/usr/lib/jvm"))) {
            return homes.filter(home -> Files.isExecutable(home.resolve("bin/java")))
                    .filter(home -> majorVersion(home) >= 25).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no JDK 25 or newer under /usr/lib/jvm"));
        }
    }

    private static int majorVersion(Path home) {
        try {
            String release = Files.readString(home.resolve("release"));
            var version = java.util.regex.Pattern.compile("JAVA_VERSION=\"(\\d+)").matcher(release);
            return version.find() ? Integer.parseInt(version.group(1)) : 0;
        } catch (IOException noRelease) {
            return 0;
        }
    }

    /** {@code jcmd COMMAND} on {@code pid}, by the jcmd of the JDK in {@code bin} (the one running it). */
    private static String jcmd(Path bin, long pid, String command) throws Exception {
        Process jcmd = new ProcessBuilder(bin.resolve("jcmd").toString(), Long.toString(pid), command).redirectErrorStream(true).start();
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
