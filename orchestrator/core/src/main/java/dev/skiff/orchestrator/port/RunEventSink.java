package dev.skiff.orchestrator.port;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Where Skiff's run events go: the event bus in AWS mode (PutEvents), Skiff's own intake in embedded mode, so the
 * same patterns (and {@code triggers.after}) work on a laptop.
 */
public interface RunEventSink {

    /**
     * Puts the event; returns once it is accepted.
     *
     * @throws RuntimeException when it could not be put; the caller keeps it and tries again
     */
    void put(ObjectNode event);
}
