package dev.skiff.orchestrator.app;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.orchestrator.port.EventMarks;
import dev.skiff.orchestrator.port.MissedDeadlines;
import dev.skiff.orchestrator.port.RunEventSink;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Step Functions mode's missed deadlines: claimed, put on the bus and handed to the listeners (notifications) at once,
 * then marked announced. Of two replicas checking the same deadline in the same moment, only the one whose claim is
 * taken announces it ({@link EventMarks#claim}). A crash between the claim and the mark announces the deadline again
 * once the claim's lease has passed (the same event id, so no follower starts twice; a notification may come twice).
 */
public final class PublishedDeadlines implements MissedDeadlines {

    private static final Logger LOG = Logger.getLogger(PublishedDeadlines.class);

    private final RunEventSink sink;
    private final List<RunEventListener> listeners;
    private final EventMarks marks;

    public PublishedDeadlines(RunEventSink sink, List<RunEventListener> listeners, EventMarks marks) {
        this.sink = sink;
        this.listeners = List.copyOf(listeners);
        this.marks = marks;
    }

    @Override
    public boolean announced(String eventId) {
        return marks.has(eventId);
    }

    @Override
    public void announce(String eventId, ObjectNode event) {
        if (!marks.claim(eventId)) {
            LOG.debugf("%s is announced by another replica", eventId);
            return;
        }
        sink.put(event);
        listeners.forEach(listener -> listener.published(event));
        marks.remember(eventId);
    }
}
