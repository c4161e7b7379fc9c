package dev.skiff.orchestrator.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.jobs.RunEvents;
import dev.skiff.orchestrator.port.PipelineRun;
import dev.skiff.workflows.Attempt;
import dev.skiff.workflows.Run;
import dev.skiff.workflows.RunStatus;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * Skiff's run events as EventBridge events: {@code source} {@value RunEvents#SOURCE}, a detail-type per
 * {@link RunEvents.Kind}, and a detail with the job, its owner, the run, its trigger, parameters, attempts, error,
 * duration and cost (a pipeline's steps too). The id is derived from the run id and the kind, and is also carried in
 * {@code detail.skiffEventId} (PutEvents cannot set an id): a republished event is the same event, and a job that
 * follows it starts the same run.
 */
public final class RunEventDocuments {

    private static final ObjectMapper JSON = new ObjectMapper();

    private RunEventDocuments() {
    }

    /** The event a run's status stands for, if it stands for one: STARTED while it runs, its end once it ended. */
    public static Optional<RunEvents.Kind> kindOf(RunStatus status) {
        return switch (status) {
            case RUNNING -> Optional.of(RunEvents.Kind.STARTED);
            case SUCCEEDED -> Optional.of(RunEvents.Kind.SUCCEEDED);
            case FAILED -> Optional.of(RunEvents.Kind.FAILED);
            case TIMED_OUT -> Optional.of(RunEvents.Kind.TIMED_OUT);
            case CANCELLED -> Optional.of(RunEvents.Kind.CANCELLED);
            case PENDING, RETRY_WAIT -> Optional.empty();
        };
    }

    /**
     * @param owner    the job's owner when the run started
     * @param pipeline a pipeline run's units, whose steps the detail lists
     * @param at       the event's time: when the run started or ended (now, if it has no such time)
     */
    public static ObjectNode of(Run run, String owner, RunEvents.Kind kind, Optional<PipelineRun> pipeline, Instant at) {
        ObjectNode detail = JSON.createObjectNode();
        String eventId = RunEvents.eventId(run.runId(), kind);
        detail.put(RunEvents.EVENT_ID, eventId);
        detail.put(RunEvents.JOB, run.job());
        detail.put(RunEvents.OWNER, owner);
        detail.put(RunEvents.RUN_ID, run.runId());
        detail.put(RunEvents.STATUS, kind == RunEvents.Kind.STARTED ? RunStatus.RUNNING.name() : run.status().name());
        detail.put(RunEvents.TRIGGER, run.trigger());
        ObjectNode parameters = detail.putObject(RunEvents.PARAMETERS);
        run.parameters().forEach(parameters::put);
        int attempts = pipeline.map(p -> p.units().stream().mapToInt(u -> u.attempts().size()).sum())
                .orElse(run.attempts().size());
        detail.put(RunEvents.ATTEMPTS, attempts);
        run.error().ifPresent(error -> detail.put(RunEvents.ERROR, error));
        run.cause().ifPresent(cause -> detail.put(RunEvents.CAUSE, cause));
        Optional<Instant> started = pipeline.flatMap(p -> p.units().stream().flatMap(u -> u.attempts().stream())
                .map(Attempt::startedAt).min(Instant::compareTo)).or(run::startedAt);
        started.ifPresent(t -> detail.put(RunEvents.STARTED_AT, t.toString()));
        run.endedAt().ifPresent(t -> detail.put(RunEvents.ENDED_AT, t.toString()));
        if (started.isPresent() && run.endedAt().isPresent()) {
            detail.put(RunEvents.DURATION_SECONDS, Duration.between(started.get(), run.endedAt().get()).toMillis() / 1000.0);
        }
        Optional<BigDecimal> cost = pipeline.isPresent() ? pipeline.get().costUsd()
                : run.attempts().stream().map(Attempt::costUsd).flatMap(Optional::stream).reduce(BigDecimal::add);
        cost.ifPresent(c -> detail.put(RunEvents.COST_USD, c));
        pipeline.ifPresent(p -> {
            var steps = detail.putArray(RunEvents.STEPS);
            p.steps().forEach(step -> steps.addObject().put("name", step.name()).put("status", step.status()));
        });
        return envelope(eventId, kind, at, detail);
    }

    /**
     * A deadline missed: the run of a scheduled fire (which may not exist) had not SUCCEEDED by its deadline.
     *
     * @param run the fire's run, if it started
     */
    public static ObjectNode deadlineMissed(String runId, String job, String owner, Instant fireTime, Instant deadline,
                                            Optional<Run> run) {
        ObjectNode detail = JSON.createObjectNode();
        String eventId = RunEvents.eventId(runId, RunEvents.Kind.DEADLINE_MISSED);
        detail.put(RunEvents.EVENT_ID, eventId);
        detail.put(RunEvents.JOB, job);
        detail.put(RunEvents.OWNER, owner);
        detail.put(RunEvents.RUN_ID, runId);
        detail.put(RunEvents.STATUS, run.map(r -> r.status().name()).orElse("NOT_STARTED"));
        detail.put(RunEvents.TRIGGER, "cron");
        detail.put(RunEvents.FIRE_TIME, fireTime.toString());
        detail.put(RunEvents.DEADLINE, deadline.toString());
        run.ifPresent(r -> {
            ObjectNode parameters = detail.putObject(RunEvents.PARAMETERS);
            r.parameters().forEach(parameters::put);
            r.error().ifPresent(error -> detail.put(RunEvents.ERROR, error));
        });
        return envelope(eventId, RunEvents.Kind.DEADLINE_MISSED, deadline, detail);
    }

    /** The event's id: a name-based UUID of its Skiff id, so the same event always has the same id. */
    public static String idOf(String eventId) {
        return UUID.nameUUIDFromBytes(eventId.getBytes(StandardCharsets.UTF_8)).toString();
    }

    private static ObjectNode envelope(String eventId, RunEvents.Kind kind, Instant at, ObjectNode detail) {
        ObjectNode event = JSON.createObjectNode();
        event.put("version", "0");
        event.put("id", idOf(eventId));
        event.put("source", RunEvents.SOURCE);
        event.put("detail-type", kind.detailType());
        event.put("time", at.toString());
        event.putArray("resources");
        event.set("detail", detail);
        return event;
    }
}
