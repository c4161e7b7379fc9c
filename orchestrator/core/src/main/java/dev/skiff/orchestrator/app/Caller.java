package dev.skiff.orchestrator.app;

import java.util.Optional;

/**
 * Who sent a request: a team, or anyone when authentication is off (the embedded default).
 *
 * @param team empty when authentication is off: such a caller may do everything
 */
public record Caller(Optional<String> team) {

    public static final Caller ANYONE = new Caller(Optional.empty());

    public static Caller team(String team) {
        return new Caller(Optional.of(team));
    }
}
