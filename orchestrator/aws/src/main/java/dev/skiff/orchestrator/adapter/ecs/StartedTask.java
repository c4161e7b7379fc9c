package dev.skiff.orchestrator.adapter.ecs;

import software.amazon.awssdk.services.ecs.model.Task;

/**
 * A task that exists for an attempt.
 *
 * @param adopted true when RunTask's answer was lost and the task was found by its startedBy and tags
 */
record StartedTask(Task task, CapacityProvider provider, boolean adopted) {
}
