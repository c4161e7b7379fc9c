package dev.skiff.orchestrator.port;

import java.time.Instant;

/**
 * What the engine persists about a started attempt so that it can find the task again after a restart.
 *
 * @param taskId       launcher-specific id: a process id, a task ARN
 * @param ranOn        where it runs, for people: "local", "spot", "on-demand"
 * @param logLocation  where its output goes: a file path, a CloudWatch stream
 */
public record LaunchedTask(String taskId, String ranOn, Instant startedAt, String logLocation) {
}
