package dev.skiff.orchestrator.port;

/** Which events were announced already, kept where every replica and a restart see them (S3 beside the specs, or H2). */
public interface EventMarks {

    boolean has(String eventId);

    /** Remembers the event announced; remembering it again changes nothing. */
    void remember(String eventId);
}
