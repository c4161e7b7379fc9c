package dev.skiff.orchestrator.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Everything under {@code skiff.console.}: the web console's sessions. */
@ConfigMapping(prefix = "skiff.console")
public interface ConsoleConfig {

    /** A console session unused for this long ends; the next page asks for the key again (with API keys). */
    @WithDefault("30m")
    Duration sessionIdleTimeout();

    /** At most this many sessions are kept; past it the least recently used one ends first. */
    @WithDefault("10000")
    int maxSessions();
}
