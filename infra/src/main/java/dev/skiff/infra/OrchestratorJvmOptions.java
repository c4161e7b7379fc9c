package dev.skiff.infra;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The orchestrator container's JVM options, as {@code JDK_JAVA_OPTIONS}: the options of
 * {@code orchestrator/service/src/main/jvm/skiff.jvm-options} (the file ./skiff hands to java; infra's build puts it on
 * this module's classpath), then the AOT cache the image's build trains next to the jar
 * ({@code orchestrator/service/src/main/docker/Dockerfile}: Java 25, {@code app.aot} in the image's working
 * directory). The java launcher of any JDK 9 or newer reads that variable, whatever the image's entrypoint, and options
 * the entrypoint adds after it (JAVA_OPTS of an image's run script) win. A JVM that cannot use the cache (another JDK
 * build, another jar) prints one warning and starts without it; a JDK older than 24 skips the option
 * (-XX:+IgnoreUnrecognizedVMOptions in the shared file).
 */
final class OrchestratorJvmOptions {

    static final String RESOURCE = "/skiff.jvm-options";
    static final String CACHE_OPTION = "-XX:AOTCache=app.aot";

    private OrchestratorJvmOptions() {
    }

    /** The value of JDK_JAVA_OPTIONS: the shared options in their order, '#' comments dropped, then the cache. */
    static String value() {
        try (InputStream in = OrchestratorJvmOptions.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is not on infra's classpath; build infra with Maven, which"
                        + " copies it from orchestrator/service/src/main/jvm");
            }
            String options = Arrays.stream(new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n"))
                    .map(line -> line.replaceAll("#.*", "").trim())
                    .filter(line -> !line.isEmpty())
                    .collect(Collectors.joining(" "));
            return options + " " + CACHE_OPTION;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }
}
