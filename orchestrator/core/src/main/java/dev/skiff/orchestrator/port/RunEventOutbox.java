package dev.skiff.orchestrator.port;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collection;
import java.util.List;

/**
 * The run events the embedded engine wrote down with the state changes they announce, in the same transaction, until
 * they are published: a crash between a change and its publication loses nothing, and the event is published after the
 * restart (once at least; its id is the same, so followers start one run).
 */
public interface RunEventOutbox {

    /**
     * An event not yet done.
     *
     * @param put whether the sink took it already (its listeners had not all returned)
     */
    record Pending(String eventId, ObjectNode event, boolean put) {
    }

    /** The oldest events not done, at most {@code limit}, oldest first. */
    List<Pending> pending(int limit);

    /** Marks the events taken by the sink, in one write: they are not put again. */
    void put(Collection<String> eventIds);

    /** Marks the events done (put, and heard by every listener), in one write: they are not offered again. */
    void done(Collection<String> eventIds);

    /** Whether an event with this id was ever written (published or not). */
    boolean has(String eventId);

    /**
     * Writes an event that no run change announces (a missed deadline) unless one with its id was written already.
     *
     * @return false when the event was written before (published or not)
     */
    boolean add(String eventId, ObjectNode event);
}
