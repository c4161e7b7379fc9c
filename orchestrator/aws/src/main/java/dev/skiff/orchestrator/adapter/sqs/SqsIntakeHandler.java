package dev.skiff.orchestrator.adapter.sqs;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.skiff.orchestrator.app.EventIntake;
import dev.skiff.orchestrator.app.EventIntake.Accepted;
import dev.skiff.orchestrator.app.EventIntake.EventResult;
import dev.skiff.orchestrator.app.EventIntake.StartedRun;
import dev.skiff.orchestrator.domain.MalformedRequestException;
import java.time.Clock;
import java.util.List;
import org.jboss.logging.Logger;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * Decides the fate of one message from the intake queue, through the same {@link EventIntake} as
 * {@code POST /events}. The message is deleted only once every matching job's run has started (or
 * existed already: a redelivered event starts nothing new), or once it is safe in the dead-letter
 * queue. One that failed is hidden for the retry delay and tried again, until it has failed
 * max-receives times. Nothing it does blocks the queue: every message ends deleted or hidden.
 */
public final class SqsIntakeHandler {

    private static final Logger LOG = Logger.getLogger(SqsIntakeHandler.class);

    /** What became of a message. */
    public enum Outcome {
        /** Its runs have started (or had started before); deleted. */
        STARTED,
        /** It matched no job's pattern: not an error; deleted. */
        UNMATCHED,
        /** Sent to the dead-letter queue with the reason; deleted. */
        DEAD_LETTERED,
        /** Handling failed; hidden for the retry delay, then tried again. */
        RETRY_LATER
    }

    private final EventIntake intake;
    private final SqsEventBodies bodies;
    private final SqsQueue queue;
    private final SqsDeadLetterQueue deadLetters;
    private final VisibilityExtender visibility;
    private final SqsIntakeMetrics metrics;
    private final SqsIntakeOptions options;
    private final Clock clock;

    public SqsIntakeHandler(EventIntake intake, ObjectMapper mapper, SqsIntakeParts parts, Clock clock) {
        this.intake = intake;
        this.bodies = new SqsEventBodies(mapper);
        this.queue = parts.queue();
        this.deadLetters = parts.deadLetters();
        this.visibility = parts.visibility();
        this.metrics = parts.metrics();
        this.options = parts.options();
        this.clock = clock;
    }

    /**
     * Handles one delivery. Throws only when SQS itself failed (deleting, hiding, dead-lettering); the
     * message then comes back after its visibility timeout, and its runs are not started twice.
     */
    public Outcome handle(Message message) {
        metrics.received();
        int receives = SqsQueue.receiveCount(message);
        if (receives > options.maxReceives()) {
            return deadLetter(message, DeadLetterReason.neverFinished(receives, options.maxReceives()));
        }
        visibility.track(message, clock.instant());
        Accepted accepted;
        try {
            // Matched as text; the message is read into a tree (or refused) only when the text is not one plain event
            accepted = intake.acceptQueued(message.body(), message.messageId(), () -> bodies.forIntake(message));
        } catch (MalformedRequestException e) {
            return deadLetter(message, DeadLetterReason.unreadable(e.getMessage()));
        } catch (RuntimeException e) {
            return failed(message, receives, e.toString());
        } finally {
            visibility.release(message);
        }
        return settle(message, receives, accepted);
    }

    private Outcome settle(Message message, int receives, Accepted accepted) {
        List<String> errors = accepted.results().stream().flatMap(r -> r.errors().stream()).toList();
        if (!errors.isEmpty() && accepted.results().stream().noneMatch(EventResult::retryable)) {
            // Another try cannot fit the parameters to the job, or bring the job back: the runs that started are kept.
            return deadLetter(message, DeadLetterReason.refused(String.join("; ", errors)));
        }
        if (!errors.isEmpty()) {
            // The runs that did start are kept; the next try starts only the missing ones, under the same ids.
            return failed(message, receives, "no run started for " + String.join("; ", errors));
        }
        queue.delete(message);
        List<StartedRun> runs = accepted.results().stream().flatMap(r -> r.runs().stream()).toList();
        runs.stream().filter(StartedRun::created).forEach(run -> metrics.runsStarted(run.job()));
        if (runs.isEmpty()) {
            metrics.unmatched();
            EventResult event = accepted.results().get(0);
            LOG.debugf("SQS message %s: event %s from %s matched no job; deleted", message.messageId(), event.eventId(),
                    event.source());
            return Outcome.UNMATCHED;
        }
        return Outcome.STARTED;
    }

    private Outcome failed(Message message, int receives, String error) {
        if (receives >= options.maxReceives()) {
            return deadLetter(message, DeadLetterReason.failedEveryTime(receives, error));
        }
        metrics.failed();
        LOG.warnf("SQS message %s: handling failed (receive %d of at most %d), trying again in %s: %s",
                message.messageId(), receives, options.maxReceives(), options.retryDelay(), error);
        queue.hide(message, options.retryDelay());
        return Outcome.RETRY_LATER;
    }

    private Outcome deadLetter(Message message, DeadLetterReason reason) {
        deadLetters.send(message, reason);
        queue.delete(message);
        metrics.deadLettered(reason);
        LOG.warnf("SQS message %s: sent to the dead-letter queue (%s): %s", message.messageId(), reason.code(),
                reason.detail());
        return Outcome.DEAD_LETTERED;
    }
}
