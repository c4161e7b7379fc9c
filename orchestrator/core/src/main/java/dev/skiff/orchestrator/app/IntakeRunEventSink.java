package dev.skiff.orchestrator.app;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.orchestrator.domain.SkiffException;
import dev.skiff.orchestrator.port.RunEventSink;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Embedded mode's bus: a run event goes through Skiff's own intake, as an event from the intake queue would, so the
 * jobs that follow it ({@code triggers.after}) or match it with their own patterns start as they would in AWS.
 * A follower that could not start for a reason that may pass (the engine was busy) makes the put fail, so the relay
 * puts the event again; its other followers' runs exist already and are not started twice.
 */
public final class IntakeRunEventSink implements RunEventSink {

    private static final Logger LOG = Logger.getLogger(IntakeRunEventSink.class);

    private final EventIntake intake;

    public IntakeRunEventSink(EventIntake intake) {
        this.intake = intake;
    }

    @Override
    public void put(ObjectNode event) {
        for (EventIntake.EventResult result : intake.accept(event).results()) {
            result.runs().stream().filter(EventIntake.StartedRun::created).forEach(run -> LOG.infof(
                    "run event %s started run %s of job %s", result.eventId(), run.runId(), run.job()));
            if (result.retryable()) {
                throw new SkiffException("a job following run event " + result.eventId() + " could not start yet: "
                        + String.join("; ", result.errors()));
            }
            if (!result.errors().isEmpty()) {
                LOG.warnf("run event %s: %s", result.eventId(), result.errors().stream().collect(Collectors.joining("; ")));
            }
        }
    }
}
