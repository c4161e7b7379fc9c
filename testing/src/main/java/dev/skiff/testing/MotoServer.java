package dev.skiff.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The moto AWS emulator, installed by the tests themselves and run on loopback. One server per test
 * JVM: {@link #shared()} installs {@code moto[server]} into a virtualenv under the repository's
 * {@code target/} (once; later runs reuse it), starts {@code moto_server} on a free port, and stops
 * it when the JVM exits. If Python, the venv or pip fails, the test fails with the reason: a test
 * that needs the emulator never passes by skipping.
 */
public final class MotoServer {

    /** The moto release the tests are written against (DESIGN.md: moto[server] 5.2.x). */
    public static final String MOTO_VERSION = "5.2.5";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private static MotoServer shared;

    private final Process process;
    private final URI endpoint;

    private MotoServer(Process process, URI endpoint) {
        this.process = process;
        this.endpoint = endpoint;
    }

    /** The server of this JVM, started on first use. */
    public static synchronized MotoServer shared() {
        if (shared == null) {
            shared = start();
            Runtime.getRuntime().addShutdownHook(new Thread(shared::stop, "moto-stop"));
        }
        return shared;
    }

    /** Where every AWS client of a test points (the value of AWS_ENDPOINT_URL). */
    public URI endpoint() {
        return endpoint;
    }

    /** Drops every resource, so a test starts from an empty account. */
    public void reset() {
        post("/moto-api/reset", "");
    }

    /** Lets moto actually execute Step Functions state machines (off by default). */
    public void enableStepFunctionsExecution() {
        post("/moto-api/config", "{\"stepfunctions\": {\"execute_state_machine\": true}}");
    }

    private static MotoServer start() {
        Path venv = Repository.root().resolve("target").resolve("moto-venv-" + MOTO_VERSION);
        Path server = venv.resolve("bin").resolve("moto_server");
        if (!Files.isExecutable(server)) {
            install(venv);
        }
        int port = freePort();
        Path log = venv.resolve("moto-" + port + ".log");
        try {
            Process process = new ProcessBuilder(server.toString(), "-H", "127.0.0.1", "-p", Integer.toString(port))
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            var moto = new MotoServer(process, URI.create("http://127.0.0.1:" + port));
            moto.awaitReady(log);
            return moto;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + server + ": " + e.getMessage(), e);
        }
    }

    private static void install(Path venv) {
        run(List.of(python(), "-m", "venv", venv.toString()), "create a Python virtualenv for moto");
        run(List.of(venv.resolve("bin").resolve("pip").toString(), "install", "--quiet", "--disable-pip-version-check",
                "moto[server]==" + MOTO_VERSION), "install moto[server]==" + MOTO_VERSION + " from PyPI");
    }

    private static String python() {
        for (String candidate : List.of("python3", "python")) {
            try {
                if (new ProcessBuilder(candidate, "--version").start().waitFor() == 0) {
                    return candidate;
                }
            } catch (IOException | InterruptedException ignored) {
                // try the next name
            }
        }
        throw new IllegalStateException("the AWS emulator needs Python 3 (python3 on PATH) to install moto; none found");
    }

    private static void run(List<String> command, String what) {
        try {
            Path output = Files.createTempFile("moto-install-", ".log");
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
            if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
                throw new IllegalStateException("could not " + what + " (" + String.join(" ", command) + "):\n"
                        + Files.readString(output, StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not " + what, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while trying to " + what, e);
        }
    }

    private void awaitReady(Path log) {
        Instant giveUp = Instant.now().plus(START_TIMEOUT);
        while (Instant.now().isBefore(giveUp)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("moto_server exited at start: " + tail(log));
            }
            try {
                var connection = (HttpURLConnection) endpoint.resolve("/moto-api/").toURL().openConnection();
                connection.setConnectTimeout(500);
                if (connection.getResponseCode() < 500) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            sleep();
        }
        throw new IllegalStateException("moto_server was not ready within " + START_TIMEOUT.toSeconds() + " s: " + tail(log));
    }

    private void post(String path, String body) {
        try {
            var connection = (HttpURLConnection) endpoint.resolve(path).toURL().openConnection();
            connection.setRequestMethod("POST");
            connection.setDoOutput(true);
            connection.setRequestProperty("Content-Type", "application/json");
            connection.getOutputStream().write(body.getBytes(StandardCharsets.UTF_8));
            int status = connection.getResponseCode();
            if (status >= 300) {
                throw new IllegalStateException("moto " + path + " answered " + status);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("moto " + path + " failed", e);
        }
    }

    private void stop() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static int freePort() {
        try (var socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
