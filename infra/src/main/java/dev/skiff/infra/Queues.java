package dev.skiff.infra;

import java.util.List;
import software.amazon.awscdk.Duration;
import software.constructs.Construct;

/**
 * Skiff's three queues. Intake holds upstream EventBridge events; dispatch holds the launch requests the
 * state machines send (each with a task token); task-events holds ECS task state changes of job tasks.
 */
public final class Queues extends Construct {

    private final QueueWithDeadLetter intake;
    private final QueueWithDeadLetter dispatch;
    private final QueueWithDeadLetter taskEvents;

    public Queues(Construct scope, String id) {
        super(scope, id);
        // The orchestrator asks for its own visibility timeout on each receive (skiff.intake.sqs.visibility-timeout)
        // and extends it while it works; this is the queue's default for any other reader.
        this.intake = new QueueWithDeadLetter(this, "Intake", Duration.minutes(1), Duration.minutes(5));
        // A launch may wait for the RunTask rate limiter and for Spot, then fall back to on-demand: 5 minutes
        // covers it, so a launch in progress is not handed to a second replica.
        this.dispatch = new QueueWithDeadLetter(this, "Dispatch", Duration.minutes(5), Duration.minutes(10));
        // Answering a task token is one Step Functions call; 2 minutes leaves room for retries.
        this.taskEvents = new QueueWithDeadLetter(this, "TaskEvents", Duration.minutes(2), Duration.minutes(5));
    }

    public QueueWithDeadLetter intake() {
        return intake;
    }

    public QueueWithDeadLetter dispatch() {
        return dispatch;
    }

    public QueueWithDeadLetter taskEvents() {
        return taskEvents;
    }

    public List<QueueWithDeadLetter> all() {
        return List.of(intake, dispatch, taskEvents);
    }
}
