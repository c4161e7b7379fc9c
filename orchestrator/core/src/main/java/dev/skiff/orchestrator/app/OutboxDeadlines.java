package dev.skiff.orchestrator.app;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.orchestrator.port.MissedDeadlines;
import dev.skiff.orchestrator.port.RunEventOutbox;

/**
 * Embedded mode's missed deadlines: written to the run-event outbox (whose key is the event id, so a deadline is
 * written once, whatever restarts), and published with the other run events by the {@link RunEventRelay}.
 */
public final class OutboxDeadlines implements MissedDeadlines {

    private final RunEventOutbox outbox;
    private final WakeSignal relay;

    public OutboxDeadlines(RunEventOutbox outbox, WakeSignal relay) {
        this.outbox = outbox;
        this.relay = relay;
    }

    @Override
    public boolean announced(String eventId) {
        return outbox.has(eventId);
    }

    @Override
    public void announce(String eventId, ObjectNode event) {
        if (outbox.add(eventId, event)) {
            relay.signal();
        }
    }
}
