package dev.skiff.orchestrator.aws;

import dev.skiff.orchestrator.adapter.sqs.SqsQueue;
import dev.skiff.orchestrator.port.TaskFleet;
import dev.skiff.orchestrator.port.TaskView;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import org.jboss.logging.Logger;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * Settles one message of the task-events queue: an ECS Task State Change that EventBridge routed there (or a Step
 * Functions Execution Status Change, whose run event {@link ExecutionStatusEvents} publishes). The fleet
 * reads it, and brings a stopped task's end through its one end path to {@link StepCompletion}, as a poll or the
 * reconciler's sweep would; every other state says nothing new. ECS numbers
 * each task's changes ({@code detail.version}): an event no newer than one already handled for the task (a
 * duplicate, or one overtaken by a later change) is deleted without a call. The message is deleted once its
 * effect is durable; an unreadable one is left to the queue's redrive policy.
 */
public final class TaskEventsConsumer {

    private static final Logger LOG = Logger.getLogger(TaskEventsConsumer.class);

    /** What became of a message. */
    public enum Outcome { SETTLED, STALE, NOT_A_TASK_EVENT, RUN_EVENT_PUBLISHED, UNREADABLE }

    private final TaskFleet fleet;
    private final StepCompletion completion;
    private final SqsQueue queue;
    /** The newest version handled per task. */
    private final RecentTasks<Long> handled = new RecentTasks<>(RecentTasks.DEFAULT_CAPACITY);

    private final StepMetrics metrics;

    private final Optional<ExecutionStatusEvents> runEvents;

    public TaskEventsConsumer(TaskFleet fleet, StepCompletion completion, SqsQueue queue, StepMetrics metrics) {
        this(fleet, completion, queue, metrics, Optional.empty());
    }

    /** @param runEvents publishes the run events of the execution status changes that come on the same queue */
    public TaskEventsConsumer(TaskFleet fleet, StepCompletion completion, SqsQueue queue, StepMetrics metrics,
                              Optional<ExecutionStatusEvents> runEvents) {
        this.runEvents = runEvents;
        this.fleet = fleet;
        this.completion = completion;
        this.queue = queue;
        this.metrics = metrics;
    }

    /** Throws when AWS could not be reached; the message then comes back and is tried again. */
    public Outcome handle(Message message) {
        long began = System.nanoTime();
        Optional<TaskView> change;
        try {
            change = fleet.changeOf(message.body());
        } catch (IllegalArgumentException e) {
            LOG.errorf("task-events message %s is not an EventBridge event (%s); left for the dead-letter queue",
                    message.messageId(), e.getMessage());
            return Outcome.UNREADABLE;
        }
        if (change.isEmpty()) {
            // An execution status change: its run event is on the bus before the message goes (a failure leaves it).
            boolean published = runEvents.isPresent() && runEvents.get().handle(message.body());
            queue.delete(message);
            return published ? Outcome.RUN_EVENT_PUBLISHED : Outcome.NOT_A_TASK_EVENT;
        }
        String arn = change.get().taskId();
        long version = change.get().version();
        if (isStale(arn, version)) {
            queue.delete(message);
            return Outcome.STALE;
        }
        StepCompletion.Outcome settled = fleet.ended(change.get()) ? completion.outcomeOf(arn) : StepCompletion.Outcome.IGNORED;
        remember(arn, version);
        // Timed to the answer, before the delete: the figure is how long a step waits on Skiff once its task stopped.
        if (settled != StepCompletion.Outcome.IGNORED) {
            metrics.taskEventSettled(settled.name().toLowerCase(Locale.ROOT), Duration.ofNanos(System.nanoTime() - began));
        }
        queue.delete(message);
        return Outcome.SETTLED;
    }

    private boolean isStale(String arn, long version) {
        Long newest = handled.get(arn);
        return newest != null && version <= newest;
    }

    private void remember(String arn, long version) {
        handled.merge(arn, version, Math::max);
    }
}
