package dev.skiff.orchestrator.port;

/** Which events were announced already, kept where every replica and a restart see them (S3 beside the specs, or H2). */
public interface EventMarks {

    /**
     * Whether the event was announced, or another replica is announcing it now (its claim is younger than the claim's
     * lease): either way this replica leaves it alone.
     */
    boolean has(String eventId);

    /**
     * Takes the announcing of the event for this replica, before it is announced. False when another replica announced
     * it or holds a live claim on it; then this replica does not announce it. A claim not followed by
     * {@link #remember} within its lease (the claimant died in between) can be taken over, so an event is still
     * announced at least once.
     */
    boolean claim(String eventId);

    /** Remembers the event announced; remembering it again changes nothing. */
    void remember(String eventId);
}
