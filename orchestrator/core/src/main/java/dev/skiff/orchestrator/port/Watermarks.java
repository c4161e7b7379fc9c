package dev.skiff.orchestrator.port;

import java.time.Instant;
import java.util.Optional;

/** How far a periodic check got, by name, kept where a restart (and every replica) sees it. */
public interface Watermarks {

    Optional<Instant> get(String name);

    void put(String name, Instant at);
}
