package dev.skiff.orchestrator.port;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Where missed deadlines are announced, and remembered as announced across restarts (and, in AWS mode, replicas):
 * the embedded engine's run-event outbox, or markers beside the job specs in S3.
 */
public interface MissedDeadlines {

    /** Whether the event ({@code <run id>/DEADLINE_MISSED}) was announced already. */
    boolean announced(String eventId);

    /** Publishes the event (and its notifications) and remembers it announced; at least once. */
    void announce(String eventId, ObjectNode event);
}
