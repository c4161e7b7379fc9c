package dev.skiff.orchestrator.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.skiff.orchestrator.port.PipelineRun;
import dev.skiff.workflows.Attempt;
import dev.skiff.workflows.Run;
import dev.skiff.workflows.StepOutcome;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A run as the API shows it: status, timings, every attempt with where it ran, its exit code, log and cost.
 *
 * @param costUsd the sum of the attempts' estimated costs; null when no attempt has one (the process launcher)
 */
public record RunView(
        String runId,
        String job,
        String trigger,
        String status,
        Map<String, String> parameters,
        Instant createdAt,
        Instant startedAt,
        Instant endedAt,
        Double durationSeconds,
        String error,
        String cause,
        Instant nextAttemptAt,
        BigDecimal costUsd,
        List<AttemptView> attempts,
        List<StepView> steps) {

    /**
     * @param outcome  how it ended: succeeded, exited, timed-out, start-failed, lost, cancelled, spot-interrupted, ...
     * @param reason   the launcher's words, when it gave any
     * @param costUsd  the launcher's estimate once it ended (Fargate: vCPU, GB and Spot discount); null when unknown
     */
    public record AttemptView(int number, String capacity, String ranOn, String taskId, Instant startedAt, Instant endedAt,
                              Double durationSeconds, String outcome, Integer exitCode, String reason, String log,
                              BigDecimal costUsd) {
    }

    /**
     * One step of a pipeline run: a node of the run's graph, with its edges in {@code dependsOn}.
     *
     * @param forEach  true for a step that runs once per item (its items: {@code GET /runs/{id}/steps/{step}/items})
     * @param status   WAITING, RUNNING, SUCCEEDED or FAILED
     * @param attempts a step that runs once: its attempts
     * @param items    a forEach step whose items are known: how many there are, and how they stand
     * @param costUsd  the estimated cost of all the step's attempts, all its items' too; null when none has one
     */
    public record StepView(String name, List<String> dependsOn, boolean forEach, String status,
                           List<AttemptView> attempts, ItemsView items, BigDecimal costUsd, String error, String cause) {
    }

    /**
     * One item of a forEach step.
     *
     * @param index  its place in the step's items, from 0
     * @param item   the item, as the container got it in {@code SKIFF_ITEM}; null when the engine does not know it
     * @param status RUNNING (launched, or waiting for a launch or a retry), SUCCEEDED or FAILED
     */
    public record ItemView(int index, JsonNode item, String status,
                           List<AttemptView> attempts, BigDecimal costUsd, String error, String cause) {

        static ItemView of(PipelineRun.UnitRun unit) {
            return new ItemView(unit.item(), unit.itemJson().map(ItemView::json).orElse(null), unit.status().name(),
                    unit.attempts().stream().map(RunView::attempt).toList(), unit.costUsd().orElse(null),
                    unit.error().orElse(null), unit.cause().orElse(null));
        }

        private static JsonNode json(String text) {
            try {
                return ITEM_READER.readTree(text);
            } catch (IOException e) {
                return TextNode.valueOf(text);
            }
        }

        private static final ObjectMapper ITEM_READER =
                new ObjectMapper();
    }

    /** @param waiting items not started yet */
    public record ItemsView(int total, int succeeded, int failed, int running, int waiting) {
    }

    /** A run with no steps to show: a one-step run, whose attempts are the run's own. */
    public static RunView of(Run run) {
        return of(run, Optional.empty());
    }

    /**
     * A run with its steps; a one-step run ({@code pipeline} empty) shows no {@code steps} at all. A pipeline run has
     * no attempts of its own (its steps and items have them): it started when its first unit's first attempt did, and
     * its cost is theirs.
     */
    public static RunView of(Run run, Optional<PipelineRun> pipeline) {
        RunView view = ofRun(run);
        if (pipeline.isEmpty()) {
            return view;
        }
        Instant start = pipeline.get().units().stream().flatMap(unit -> unit.attempts().stream())
                .map(Attempt::startedAt).min(Instant::compareTo).orElse(null);
        return new RunView(view.runId, view.job, view.trigger, view.status, view.parameters, view.createdAt,
                start, view.endedAt, seconds(start, view.endedAt), view.error, view.cause, view.nextAttemptAt,
                pipeline.get().costUsd().orElse(null), List.of(),
                pipeline.get().steps().stream().map(RunView::step).toList());
    }

    private static StepView step(PipelineRun.StepRun step) {
        ItemsView items = step.items().map(i -> new ItemsView(i.total(), i.succeeded(), i.failed(), i.running(),
                i.total() - i.succeeded() - i.failed() - i.running())).orElse(null);
        return new StepView(step.name(), step.dependsOn(), step.forEach(), step.status(),
                step.attempts().stream().map(RunView::attempt).toList(), items, step.costUsd().orElse(null),
                step.error().orElse(null), step.cause().orElse(null));
    }

    private static RunView ofRun(Run run) {
        Instant end = run.endedAt().orElse(null);
        Instant start = run.startedAt().orElse(null);
        return new RunView(run.runId(), run.job(), run.trigger(), run.status().name(), run.parameters(),
                run.createdAt(), start, end, seconds(start, end), run.error().orElse(null), run.cause().orElse(null),
                run.nextLaunch().map(Run.PendingLaunch::notBefore).orElse(null), totalCost(run),
                run.attempts().stream().map(RunView::attempt).toList(), null);
    }

    private static BigDecimal totalCost(Run run) {
        return run.attempts().stream().map(Attempt::costUsd).flatMap(Optional::stream)
                .reduce(BigDecimal::add).orElse(null);
    }

    private static AttemptView attempt(Attempt a) {
        Instant end = a.endedAt().orElse(null);
        return new AttemptView(a.number(), a.capacity().specName(), blankToNull(a.ranOn()), blankToNull(a.taskId()),
                a.startedAt(), end, seconds(a.startedAt(), end),
                a.outcome().map(RunView::outcomeName).orElse("running"), a.exitCode().orElse(null),
                a.outcome().map(RunView::reason).orElse(null), blankToNull(a.logLocation()), a.costUsd().orElse(null));
    }

    static String outcomeName(StepOutcome o) {
        String simple = o.getClass().getSimpleName();
        return simple.replaceAll("([a-z])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT);
    }

    private static String reason(StepOutcome o) {
        if (o instanceof StepOutcome.StartFailed s) {
            return s.reason();
        }
        if (o instanceof StepOutcome.Lost l) {
            return l.reason();
        }
        if (o instanceof StepOutcome.CapacityUnavailable c) {
            return c.reason();
        }
        if (o instanceof StepOutcome.SpotInterrupted s) {
            return s.reason();
        }
        return o instanceof StepOutcome.Cancelled c ? c.reason() : null;
    }

    private static Double seconds(Instant from, Instant to) {
        return from == null || to == null ? null : Duration.between(from, to).toMillis() / 1000.0;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
