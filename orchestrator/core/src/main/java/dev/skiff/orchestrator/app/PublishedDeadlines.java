package dev.skiff.orchestrator.app;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.orchestrator.port.EventMarks;
import dev.skiff.orchestrator.port.MissedDeadlines;
import dev.skiff.orchestrator.port.RunEventSink;
import java.util.List;

/**
 * Step Functions mode's missed deadlines: put on the bus and handed to the listeners (notifications) at once, then
 * marked announced. A crash between the two announces the deadline again after the restart (the same event id, so no
 * follower starts twice; a notification may come twice); two replicas checking the same deadline in the same moment
 * may both announce it.
 */
public final class PublishedDeadlines implements MissedDeadlines {

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
        sink.put(event);
        listeners.forEach(listener -> listener.published(event));
        marks.remember(eventId);
    }
}
