package dev.skiff.orchestrator.app;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Hears each run event once it is on the bus (or in the embedded intake): notifications, for one. Called on a
 * worker thread, once at least per event (again after a crash before it returned); it retries what it sends itself
 * and never throws for a delivery that failed, which it logs and counts.
 */
public interface RunEventListener {

    void published(ObjectNode event);
}
