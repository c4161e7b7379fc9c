package dev.skiff.orchestrator.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** One CLI call in this JVM, as {@code skiff ARGS} would run it, with what it printed on stdout and stderr. */
public record CliRun(int exit, String out, String err) {

    public static CliRun of(Map<String, String> env, String... args) {
        return of(env, false, args);
    }

    /** @param interactive whether stderr plays a terminal (a progress line is then rewritten in place) */
    public static CliRun of(Map<String, String> env, boolean interactive, String... args) {
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        int exit = SkiffCli.execute(new Terminal(env, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), interactive, Duration.ofMillis(50)), args);
        return new CliRun(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    public List<String> lines() {
        return out.lines().toList();
    }

    public JsonNode json() {
        try {
            return new ObjectMapper().readTree(out);
        } catch (IOException e) {
            throw new UncheckedIOException("stdout is not JSON: " + out, e);
        }
    }
}
