package dev.skiff.orchestrator.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which Java ./skiff runs: a JDK 25 or newer when one is found (its AOT cache starts the service fastest), looked for
 * in JAVA_HOME, then the JDK directory (/usr/lib/jvm, or SKIFF_JVM_DIRS), then {@code java} on PATH; otherwise the
 * Java 17 or newer of JAVA_HOME or PATH. The JDKs here are stand-ins: a {@code release} file naming the version and a
 * {@code bin/java} that prints which JDK it is and exits.
 */
class SkiffJavaChoiceIT {

    private static final Path ROOT = Path.of("../..").toAbsolutePath().normalize();

    @TempDir
    Path work;

    /** What ./skiff printed and how it exited. */
    private record Ran(int exit, String out) {
    }

    @Test
    void shouldPreferAJdk25InTheJvmDirectoryToAnOlderJavaHome() throws Exception {
        Path jvms = Files.createDirectories(work.resolve("jvm"));
        fakeJdk(jvms.resolve("temurin-25-jdk-amd64"), "25.0.3");

        Ran ran = skiff(Map.of("JAVA_HOME", fakeJdk(work.resolve("home-17"), "17.0.15").toString()), jvms, null);

        assertThat(ran.out()).contains("fake java " + jvms.resolve("temurin-25-jdk-amd64"));
    }

    @Test
    void shouldTakeJavaHomeFirstWhenItIs25OrNewer() throws Exception {
        Path jvms = Files.createDirectories(work.resolve("jvm"));
        fakeJdk(jvms.resolve("temurin-25-jdk-amd64"), "25.0.3");
        Path home = fakeJdk(work.resolve("home-26"), "26");

        Ran ran = skiff(Map.of("JAVA_HOME", home.toString()), jvms, null);

        assertThat(ran.out()).contains("fake java " + home);
    }

    @Test
    void shouldTakeTheNewestJdk25OrLaterOfTheJvmDirectory() throws Exception {
        Path jvms = Files.createDirectories(work.resolve("jvm"));
        fakeJdk(jvms.resolve("jdk-25"), "25.0.1");
        fakeJdk(jvms.resolve("jdk-27"), "27");
        fakeJdk(jvms.resolve("java-17-openjdk-amd64"), "17.0.15");

        Ran ran = skiff(Map.of(), jvms, null);

        assertThat(ran.out()).contains("fake java " + jvms.resolve("jdk-27"));
    }

    @Test
    void shouldTakeJavaOnPathWhenItIs25AndJavaHomeIsOlder() throws Exception {
        Path onPath = fakeJdk(work.resolve("path-25"), "25.0.3");

        Ran ran = skiff(Map.of("JAVA_HOME", fakeJdk(work.resolve("home-21"), "21.0.2").toString()),
                Files.createDirectories(work.resolve("no-jvms")), onPath);

        assertThat(ran.out()).contains("fake java " + onPath);
    }

    @Test
    void shouldFallBackToJavaHomeWhenNoJdk25IsFound() throws Exception {
        Path jvms = Files.createDirectories(work.resolve("jvm"));
        fakeJdk(jvms.resolve("java-21-openjdk-amd64"), "21.0.2");
        Path home = fakeJdk(work.resolve("home-17"), "17.0.15");

        Ran ran = skiff(Map.of("JAVA_HOME", home.toString()), jvms, fakeJdk(work.resolve("path-21"), "21.0.2"));

        assertThat(ran.out()).contains("fake java " + home);
    }

    @Test
    void shouldNotStartTheJavasOfTheJvmDirectoryToAskTheirVersion() throws Exception {
        // Given a JDK directory entry without a release file, whose java would answer 99 if started
        Path jvms = Files.createDirectories(work.resolve("jvm"));
        Path marker = work.resolve("started");
        Path odd = Files.createDirectories(jvms.resolve("odd/bin"));
        Files.writeString(odd.resolve("java"), "#!/bin/sh\ntouch " + marker
                + "\necho '    java.specification.version = 99' >&2\necho \"fake java odd\"\n");
        Files.setPosixFilePermissions(odd.resolve("java"), PosixFilePermissions.fromString("rwxr-xr-x"));
        Path home = fakeJdk(work.resolve("home-17"), "17.0.15");

        Ran ran = skiff(Map.of("JAVA_HOME", home.toString()), jvms, null);

        // Then ./skiff did not start it (each start costs a JVM's start at every command) and took JAVA_HOME's
        assertThat(ran.out()).contains("fake java " + home);
        assertThat(marker).doesNotExist();
    }

    @Test
    void shouldRefuseAJavaOlderThan17WithExit2() throws Exception {
        Ran ran = skiff(Map.of(), Files.createDirectories(work.resolve("no-jvms")),
                fakeJdk(work.resolve("path-11"), "11.0.2"));

        assertThat(ran.exit()).isEqualTo(2);
        assertThat(ran.out()).contains("needs Java 17 or newer, found 11.0.2").doesNotContain("fake java");
    }

    /** A JDK stand-in at {@code home} of {@code version}, whose java prints "fake java HOME" and exits 0. */
    private static Path fakeJdk(Path home, String version) throws IOException {
        Files.createDirectories(home.resolve("bin"));
        Files.writeString(home.resolve("release"), "JAVA_VERSION=\"" + version + "\"\nIMPLEMENTOR=\"test\"\n");
        Path java = home.resolve("bin/java");
        Files.writeString(java, "#!/bin/sh\necho \"fake java " + home + "\"\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        return home;
    }

    /**
     * {@code ./skiff validate} (a client command: no service, no class-data archive) with only {@code environment}'s
     * JAVA_HOME, {@code jvms} as the JDK directory and {@code pathJdk}'s java (if any) first on PATH, before the
     * system's tools and none of its Java.
     */
    private Ran skiff(Map<String, String> environment, Path jvms, Path pathJdk) throws Exception {
        Path tools = systemToolsWithoutJava();
        var builder = new ProcessBuilder(List.of(ROOT.resolve("skiff").toString(), "validate", "no-such.yaml"))
                .directory(ROOT.toFile()).redirectErrorStream(true);
        builder.environment().keySet().removeIf(name -> name.startsWith("SKIFF_") || name.startsWith("JAVA"));
        builder.environment().put("SKIFF_JVM_DIRS", jvms.toString());
        builder.environment().put("PATH", (pathJdk == null ? "" : pathJdk.resolve("bin") + ":") + tools);
        builder.environment().putAll(environment);
        Process skiff = builder.start();
        String out = new String(skiff.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(skiff.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Ran(skiff.exitValue(), out);
    }

    /** A directory of links to the commands ./skiff uses, so that PATH holds no java but the test's own. */
    private Path systemToolsWithoutJava() throws IOException {
        Path tools = Files.createDirectories(work.resolve("tools"));
        for (String tool : List.of("bash", "dirname", "readlink", "sed", "grep", "find", "sort", "head", "cat", "cut",
                "tr", "awk", "basename", "mktemp", "rm", "env", "ls", "touch")) {
            Path link = tools.resolve(tool);
            if (!Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                for (String dir : List.of("/usr/bin", "/bin")) {
                    if (Files.isExecutable(Path.of(dir, tool))) {
                        Files.createSymbolicLink(link, Path.of(dir, tool));
                        break;
                    }
                }
            }
        }
        return tools;
    }
}
