package dev.skiff.orchestrator.adapter.local;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * How the process launcher lays out its files and stops its processes.
 *
 * @param logsDirectory     each attempt's output and exit status go under {@code <logs>/<runId>/}
 * @param scratchDirectory  each attempt runs in its own {@code <scratch>/<runId>/attempt-<n>/}
 * @param stopGracePeriod   between SIGTERM and SIGKILL when a task is stopped
 * @param clock             stamps the end of attempts observed live
 */
public record ProcessLauncherOptions(Path logsDirectory, Path scratchDirectory, Duration stopGracePeriod, Clock clock) {

    public static final Duration DEFAULT_STOP_GRACE_PERIOD = Duration.ofSeconds(10);

    public ProcessLauncherOptions {
        Objects.requireNonNull(logsDirectory, "logsDirectory");
        Objects.requireNonNull(scratchDirectory, "scratchDirectory");
        Objects.requireNonNull(stopGracePeriod, "stopGracePeriod");
        Objects.requireNonNull(clock, "clock");
        if (stopGracePeriod.isNegative()) {
            throw new IllegalArgumentException("stopGracePeriod must not be negative, was " + stopGracePeriod);
        }
    }

    /** Logs in {@code <dataDirectory>/logs}, scratch space in {@code <dataDirectory>/scratch}, the default grace period. */
    public static ProcessLauncherOptions under(Path dataDirectory) {
        return new ProcessLauncherOptions(dataDirectory.resolve("logs"), dataDirectory.resolve("scratch"),
                DEFAULT_STOP_GRACE_PERIOD, Clock.systemUTC());
    }

    public ProcessLauncherOptions withLogsDirectory(Path value) {
        return new ProcessLauncherOptions(value, scratchDirectory, stopGracePeriod, clock);
    }

    public ProcessLauncherOptions withScratchDirectory(Path value) {
        return new ProcessLauncherOptions(logsDirectory, value, stopGracePeriod, clock);
    }

    public ProcessLauncherOptions withStopGracePeriod(Duration value) {
        return new ProcessLauncherOptions(logsDirectory, scratchDirectory, value, clock);
    }

    public ProcessLauncherOptions withClock(Clock value) {
        return new ProcessLauncherOptions(logsDirectory, scratchDirectory, stopGracePeriod, value);
    }
}
