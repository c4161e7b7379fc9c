package dev.skiff.orchestrator.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.jobs.JobSpec;
import dev.skiff.jobs.RunEvents;
import dev.skiff.orchestrator.app.RunEventDocuments;
import dev.skiff.orchestrator.app.RunEventListener;
import dev.skiff.orchestrator.port.RunEngine;
import dev.skiff.orchestrator.port.RunEventSink;
import dev.skiff.workflows.Run;
import dev.skiff.workflows.RunStatus;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * Step Functions mode's run events. EventBridge sends each Step Functions Execution Status Change of Skiff's state
 * machines to the task-events queue; for each, this reads the run as {@code GET /runs/{id}} does, puts Skiff's run event
 * on Skiff's bus and hands it to the listeners (notifications). The queue message is deleted only afterwards, so an
 * orchestrator that dies in between leaves the message, which comes back: the event is never lost, and when put twice
 * it has the same {@code skiffEventId}, so a follower starts one run.
 */
public final class ExecutionStatusEvents {

    private static final Logger LOG = Logger.getLogger(ExecutionStatusEvents.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String SOURCE = "aws.states";
    static final String DETAIL_TYPE = "Step Functions Execution Status Change";

    private final RunEngine engine;
    private final Function<String, Optional<JobSpec>> jobs;
    private final RunEventSink sink;
    private final List<RunEventListener> listeners;
    private final String machinePrefix;

    /**
     * @param jobs          the current spec of a job by name (its owner)
     * @param machinePrefix Skiff's state machines' name prefix: executions of other state machines are not runs
     */
    public ExecutionStatusEvents(RunEngine engine, Function<String, Optional<JobSpec>> jobs, RunEventSink sink,
                                 List<RunEventListener> listeners, String machinePrefix) {
        this.engine = engine;
        this.jobs = jobs;
        this.sink = sink;
        this.listeners = List.copyOf(listeners);
        this.machinePrefix = machinePrefix;
    }

    /**
     * Publishes the run event an execution's status change stands for.
     *
     * @return false when the message is no execution status change of Skiff's (the caller deletes it either way)
     * @throws RuntimeException when the run could not be read or the event not put; the message is then kept
     */
    public boolean handle(String body) {
        JsonNode event;
        try {
            event = JSON.readTree(body);
        } catch (IOException e) {
            return false;
        }
        if (!SOURCE.equals(event.path("source").asText()) || !DETAIL_TYPE.equals(event.path("detail-type").asText())) {
            return false;
        }
        JsonNode detail = event.path("detail");
        String machine = detail.path("stateMachineArn").asText();
        if (!machine.substring(machine.lastIndexOf(':') + 1).startsWith(machinePrefix)) {
            return false;
        }
        String runId = detail.path("name").asText();
        Optional<RunEvents.Kind> kind = kindOf(detail.path("status").asText());
        if (kind.isEmpty()) {
            return false;
        }
        Run run = engine.get(runId).orElseThrow(() -> new IllegalStateException(
                "run " + runId + " of a status change event cannot be read (yet)"));
        if (kind.get() != RunEvents.Kind.STARTED && !run.status().isTerminal()) {
            throw new IllegalStateException("run " + runId + " reads " + run.status() + " though its execution ended; the"
                    + " status change is tried again");
        }
        RunEvents.Kind told = kind.get() == RunEvents.Kind.FAILED && run.status() == RunStatus.TIMED_OUT
                ? RunEvents.Kind.TIMED_OUT : kind.get(); // a Skiff timeout fails the execution with Skiff.Timeout
        String owner = jobs.apply(run.job()).map(JobSpec::owner).orElse("");
        Instant at = Optional.ofNullable(told == RunEvents.Kind.STARTED ? detail.path("startDate") : detail.path("stopDate"))
                .filter(JsonNode::canConvertToLong).map(ms -> Instant.ofEpochMilli(ms.asLong()))
                .orElseGet(() -> Instant.parse(event.path("time").asText(Instant.now().toString())));
        ObjectNode runEvent = RunEventDocuments.of(run, owner, told, engine.pipeline(runId), at);
        sink.put(runEvent);
        LOG.debugf("run %s: published %s", runId, told.detailType());
        listeners.forEach(listener -> listener.published(runEvent));
        return true;
    }

    /** The run event an execution status stands for: RUNNING is STARTED, ABORTED is CANCELLED (Skiff cancels by stopping). */
    static Optional<RunEvents.Kind> kindOf(String status) {
        return switch (status) {
            case "RUNNING" -> Optional.of(RunEvents.Kind.STARTED);
            case "SUCCEEDED" -> Optional.of(RunEvents.Kind.SUCCEEDED);
            case "FAILED" -> Optional.of(RunEvents.Kind.FAILED);
            case "TIMED_OUT" -> Optional.of(RunEvents.Kind.TIMED_OUT);
            case "ABORTED" -> Optional.of(RunEvents.Kind.CANCELLED);
            default -> Optional.empty();
        };
    }
}
