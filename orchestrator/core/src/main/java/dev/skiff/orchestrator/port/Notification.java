package dev.skiff.orchestrator.port;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.jobs.RunEvents;

/**
 * What a notification tells, whatever the channel: a run event of a job, as one line for people and as the event's
 * detail for programs.
 *
 * @param eventId the run event's Skiff id ({@code <run id>/<KIND>}): the same for a notification sent again, so a
 *                receiver can drop a duplicate
 * @param text    one line, link-free ({@code ✖ job etl run etl-1 FAILED: ...})
 * @param detail  the run event's detail, as published
 */
public record Notification(RunEvents.Kind kind, String job, String runId, String eventId, String text, ObjectNode detail) {
}
