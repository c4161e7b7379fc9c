package dev.skiff.orchestrator.app;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.skiff.orchestrator.port.EventMarks;
import dev.skiff.orchestrator.port.RunEventOutbox;
import java.util.List;

/**
 * Announced events remembered in an outbox that nothing relays (Step Functions mode without an S3 registry keeps its
 * local state in the embedded database): each is written as done at once.
 */
public final class OutboxMarks implements EventMarks {

    private final RunEventOutbox outbox;

    public OutboxMarks(RunEventOutbox outbox) {
        this.outbox = outbox;
    }

    @Override
    public boolean has(String eventId) {
        return outbox.has(eventId);
    }

    /** One process holds the database: nobody else announces, so only an event announced already is refused. */
    @Override
    public boolean claim(String eventId) {
        return !outbox.has(eventId);
    }

    @Override
    public void remember(String eventId) {
        outbox.add(eventId, JsonNodeFactory.instance.objectNode());
        outbox.done(List.of(eventId));
    }
}
