package dev.skiff.orchestrator.cli;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Map;

/**
 * Where a command runs: the environment it reads ({@code SKIFF_URL}, {@code SKIFF_TOKEN}), the streams it writes, whether
 * a person watches stderr (then a progress line is rewritten in place), and how often a waiting command asks again.
 * Tests pass their own, so a command never reads the process's environment or streams directly.
 */
record Terminal(Map<String, String> env, PrintStream out, PrintStream err, boolean interactive, Duration poll) {

    /** The process's own: its environment, System.out and System.err, interactive when it has a console. */
    static Terminal system() {
        return new Terminal(System.getenv(), System.out, System.err, System.console() != null, Duration.ofSeconds(1));
    }
}
