package dev.skiff.orchestrator.adapter.sfn;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.skiff.jobs.Capacity;
import dev.skiff.jobs.JobSpec;
import dev.skiff.jobs.StepSpec;
import dev.skiff.orchestrator.port.PipelineRun;
import dev.skiff.orchestrator.port.TaskRecord;
import dev.skiff.orchestrator.port.TaskReport;
import dev.skiff.orchestrator.port.TaskRequest;
import dev.skiff.workflows.Attempt;
import dev.skiff.workflows.DispatchRequest;
import dev.skiff.workflows.PipelineProgress.UnitStatus;
import dev.skiff.workflows.SkiffErrors;
import dev.skiff.workflows.StepDecision;
import dev.skiff.workflows.StepDecisions;
import dev.skiff.workflows.StepJobs;
import dev.skiff.workflows.StepOutcome;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;
import software.amazon.awssdk.services.sfn.model.HistoryEventType;

/**
 * A run's attempts as Step Functions recorded them: each TaskScheduled is a launch request (its message body
 * holds the attempt), closed by the TaskSucceeded, TaskFailed or TaskTimedOut after it. The orchestrator's own
 * answers carry the task, where it ran and its cost (in the success output, or at the end of a failure's cause).
 * What the history cannot show comes from the run's {@link TaskRecord}s: the tasks Spot interrupted (listed as
 * entries of their attempt's number, as the embedded engine lists them) and a failed attempt's task when the
 * failure's cause did not keep it.
 */
final class ExecutionHistory {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** The end of every failure cause {@link TaskAnswer} writes. */
    private static final Pattern TASK_IN_CAUSE =
            Pattern.compile("\\(task (\\S+) on ([^,\\s)]+)(?:, estimated ([0-9.]+) USD)?\\)$");

    private final List<HistoryEvent> events;

    ExecutionHistory(List<HistoryEvent> events) {
        this.events = List.copyOf(events);
    }

    /** Every event of the execution, oldest first. */
    static ExecutionHistory read(SfnClient sfn, String executionArn) {
        List<HistoryEvent> events = new ArrayList<>();
        sfn.getExecutionHistoryPaginator(r -> r.executionArn(executionArn).maxResults(1000).includeExecutionData(true))
                .events().forEach(events::add);
        return new ExecutionHistory(events);
    }

    /**
     * True while the step's latest launch request is this attempt and is still unanswered. Tokens can outlive
     * their attempt (moto reuses one token for every retry of a state), so a stopped task is answered only when
     * the execution still waits for that very attempt.
     */
    boolean awaits(int attempt) {
        return awaits(StepSpec.MAIN, TaskRequest.NO_ITEM, attempt);
    }

    /**
     * True while the execution waits for this attempt of this unit (a step, or one item of a forEach step): its
     * launch request is scheduled and unanswered. A Map or Parallel has many requests open at once, so each answer
     * is paired with its request through previousEventId, not by order.
     */
    boolean awaits(String step, int item, int attempt) {
        for (Scheduled open : pair(new Pairing() { }).values()) {
            JsonNode body = messageBody(open.event());
            if (isLaunch(body) && step.equals(body.path(DispatchRequest.STEP).asText(StepSpec.MAIN))
                    && itemOf(body) == item && attemptOf(body).orElse(-1) == attempt) {
                return true;
            }
        }
        return false;
    }

    /**
     * @param capacity the job's capacity, which every attempt asks for
     * @param records  the run's task records
     */
    List<Attempt> attempts(Capacity capacity, List<TaskRecord> records) {
        return unitAttempts(step -> capacity, records).stream().map(UnitAttempt::attempt).toList();
    }

    /**
     * A pipeline run's units as the history and the task records show them. A unit whose last attempt failed is
     * still running while the execution runs and the step's retry rules ({@link StepDecisions}, which the compiled
     * Retry blocks mirror) would try it again.
     *
     * @param job     the spec the run's state machine was compiled from
     * @param running whether the execution is still running
     */
    PipelineRun pipeline(JobSpec job, List<TaskRecord> records, boolean running) {
        Map<String, JobSpec> views = new HashMap<>();
        job.steps().forEach(step -> views.put(step.name(), StepJobs.view(job, step)));
        Function<String, Capacity> capacityOf = step -> Optional.ofNullable(views.get(step)).map(JobSpec::capacity)
                .orElse(job.capacity());
        Map<String, List<UnitAttempt>> byUnit = new LinkedHashMap<>();
        for (UnitAttempt found : unitAttempts(capacityOf, records)) {
            byUnit.computeIfAbsent(found.step() + "[" + found.item() + "]", k -> new ArrayList<>()).add(found);
        }
        List<PipelineRun.UnitRun> units = new ArrayList<>();
        for (List<UnitAttempt> unit : byUnit.values()) {
            UnitAttempt last = unit.get(unit.size() - 1);
            List<Attempt> attempts = unit.stream().map(UnitAttempt::attempt).toList();
            JobSpec view = views.getOrDefault(last.step(), job);
            UnitStatus status = UnitStatus.RUNNING;
            Optional<String> error = Optional.empty();
            Optional<String> cause = Optional.empty();
            Optional<StepOutcome> outcome = last.attempt().outcome();
            if (outcome.isPresent()) {
                StepDecision next = StepDecisions.after(view, last.attempt().number(), last.attempt().capacity(), 0,
                        outcome.get());
                if (next instanceof StepDecision.Complete) {
                    status = UnitStatus.SUCCEEDED;
                } else if (next instanceof StepDecision.Fail fail) {
                    status = UnitStatus.FAILED;
                    error = Optional.of(fail.error());
                    cause = Optional.of(fail.cause());
                } else if (!running) {
                    status = UnitStatus.FAILED;
                }
            }
            units.add(new PipelineRun.UnitRun(last.step(), last.item(), last.itemJson(), status, attempts, error, cause));
        }
        return new PipelineRun(job, itemCounts(), units);
    }

    /** The number of items of each forEach step whose items request was answered. */
    private Map<String, Integer> itemCounts() {
        Map<String, Integer> counts = new HashMap<>();
        pair(new Pairing() {
            @Override
            public void closed(Scheduled request, HistoryEvent event) {
                JsonNode body = messageBody(request.event());
                if (!isLaunch(body) && event.type() == HistoryEventType.TASK_SUCCEEDED) {
                    JsonNode items = json(event.taskSucceededEventDetails().output()).path("items");
                    if (items.isArray()) {
                        counts.put(body.path(DispatchRequest.STEP).asText(), items.size());
                    }
                }
            }
        });
        return counts;
    }

    /** One attempt (or one Spot-interrupted task of it) of one unit. */
    private record UnitAttempt(String step, int item, Optional<String> itemJson, Attempt attempt) {
    }

    private List<UnitAttempt> unitAttempts(Function<String, Capacity> capacityOf, List<TaskRecord> records) {
        List<UnitAttempt> attempts = new ArrayList<>();
        Map<Long, Open> opens = new LinkedHashMap<>();
        Map<Long, Scheduled> left = pair(new Pairing() {
            @Override
            public void scheduled(Scheduled request) {
                JsonNode body = messageBody(request.event());
                if (!isLaunch(body)) {
                    return;
                }
                Long timeout = request.event().taskScheduledEventDetails().timeoutInSeconds();
                Instant at = request.event().timestamp();
                String step = body.path(DispatchRequest.STEP).asText(StepSpec.MAIN);
                JsonNode item = body.path(DispatchRequest.ITEM);
                attemptOf(body).ifPresent(n -> opens.put(request.key(), new Open(step, itemOf(body),
                        item.isMissingNode() || item.isNull() ? Optional.empty() : Optional.of(item.toString()),
                        capacityOf.apply(step), n, at, timeout == null ? Instant.MAX : at.plusSeconds(timeout))));
            }

            @Override
            public void closed(Scheduled request, HistoryEvent event) {
                Open open = opens.remove(request.key());
                if (open == null) {
                    return;
                }
                attempts.addAll(interrupted(open, records));
                if (isExecutionEnd(event.type())) {
                    attempts.add(open.found(attempt(open, "", "unknown", Optional.of(new StepOutcome.Cancelled(
                            "the execution ended while the attempt ran")), Optional.of(event.timestamp()), Optional.empty())));
                } else {
                    attempts.add(open.found(ExecutionHistory.closed(open, event, records)));
                }
            }
        });
        for (Scheduled open : left.values()) {
            Open attempt = opens.get(open.key());
            if (attempt != null) {
                attempts.addAll(interrupted(attempt, records));
                attempts.add(attempt.found(attempt(attempt, "", "unknown", Optional.empty(), Optional.empty(), Optional.empty())));
            }
        }
        return attempts;
    }

    /** A TaskScheduled event, keyed by its id (by its place in the history when it has none). */
    private record Scheduled(long key, HistoryEvent event) {
    }

    /** What {@link #pair} tells as it reads the history. */
    private interface Pairing {
        default void scheduled(Scheduled request) {
        }

        /** @param event the answer (TaskSucceeded, TaskFailed, TaskTimedOut) or the execution's end */
        default void closed(Scheduled request, HistoryEvent event) {
        }
    }

    /**
     * Reads the history oldest first, pairing each task's answer with its TaskScheduled: the answer's previousEventId
     * leads back through its own frame's TaskStarted/TaskSubmitted to it, in a Map iteration or Parallel branch as in
     * a plain sequence. A history without ids (or whose chain breaks) pairs the answer with the latest open request,
     * as a history of one task at a time does. The execution's end closes every request still open.
     *
     * @return the requests still open at the end
     */
    private Map<Long, Scheduled> pair(Pairing pairing) {
        Map<Long, HistoryEvent> byId = new HashMap<>();
        Map<Long, Scheduled> open = new LinkedHashMap<>();
        long place = 0;
        for (HistoryEvent event : events) {
            place++;
            long key = event.id() != null && event.id() > 0 ? event.id() : -place;
            byId.put(key, event);
            if (event.type() == HistoryEventType.TASK_SCHEDULED) {
                Scheduled request = new Scheduled(key, event);
                open.put(key, request);
                pairing.scheduled(request);
            } else if (closesTask(event.type())) {
                Optional<Long> request = requestOf(event, byId).filter(open::containsKey)
                        .or(() -> open.keySet().stream().reduce((a, b) -> b));
                request.map(open::remove).ifPresent(scheduled -> pairing.closed(scheduled, event));
            } else if (isExecutionEnd(event.type())) {
                open.values().forEach(scheduled -> pairing.closed(scheduled, event));
                open.clear();
            }
        }
        return open;
    }

    /** The TaskScheduled an answer's previousEventId chain leads back to, through its task's own events. */
    private static Optional<Long> requestOf(HistoryEvent answer, Map<Long, HistoryEvent> byId) {
        Long previous = answer.previousEventId();
        for (int hops = 0; previous != null && previous > 0 && hops < MAX_HOPS; hops++) {
            HistoryEvent before = byId.get(previous);
            if (before == null) {
                return Optional.empty();
            }
            if (before.type() == HistoryEventType.TASK_SCHEDULED) {
                return Optional.of(previous);
            }
            if (before.type() != HistoryEventType.TASK_STARTED && before.type() != HistoryEventType.TASK_SUBMITTED) {
                return Optional.empty();
            }
            previous = before.previousEventId();
        }
        return Optional.empty();
    }

    /** TaskScheduled, TaskStarted, TaskSubmitted: an answer is at most a few events after its request. */
    private static final int MAX_HOPS = 4;

    /** A launch, not a forEach's items request: only launches are attempts. */
    private static boolean isLaunch(JsonNode body) {
        return !body.has(DispatchRequest.KIND)
                || DispatchRequest.Kind.LAUNCH.wireName().equals(body.path(DispatchRequest.KIND).asText());
    }

    private static int itemOf(JsonNode body) {
        JsonNode index = body.path(DispatchRequest.ITEM_INDEX);
        return index.canConvertToInt() ? index.asInt() : TaskRequest.NO_ITEM;
    }

    /** A launch request still open: one attempt of one unit. */
    private record Open(String step, int item, Optional<String> itemJson, Capacity capacity, int number,
                        Instant scheduledAt, Instant deadline) {

        boolean owns(TaskRecord record, TaskRecord.Kind kind) {
            return record.kind() == kind && record.step().equals(step) && record.item() == item
                    && record.attempt() == number;
        }

        UnitAttempt found(Attempt attempt) {
            return new UnitAttempt(step, item, itemJson, attempt);
        }
    }

    /** The attempt's tasks that Spot interrupted, oldest first: each an entry of the attempt's number. */
    private static List<UnitAttempt> interrupted(Open open, List<TaskRecord> records) {
        return records.stream()
                .filter(record -> open.owns(record, TaskRecord.Kind.INTERRUPTED))
                .sorted(Comparator.comparing(r -> r.task().startedAt().orElse(open.scheduledAt())))
                .map(record -> open.found(new Attempt(open.number(), open.capacity(), record.task().taskArn(), record.task().capacity(), "",
                        record.task().startedAt().orElse(open.scheduledAt()), open.deadline(), Optional.empty(),
                        Optional.of(new StepOutcome.SpotInterrupted("Fargate Spot took the capacity back; the attempt ran again")),
                        record.task().stoppedAt(), record.task().costUsd())))
                .toList();
    }

    private static Attempt closed(Open open, HistoryEvent event, List<TaskRecord> records) {
        Instant at = event.timestamp();
        if (event.type() == HistoryEventType.TASK_SUCCEEDED) {
            JsonNode output = json(event.taskSucceededEventDetails().output());
            Optional<BigDecimal> cost = output.hasNonNull("costUsd")
                    ? Optional.of(output.get("costUsd").decimalValue()) : Optional.empty();
            Instant ended = output.hasNonNull("stoppedAt") ? Instant.parse(output.get("stoppedAt").asText()) : at;
            return attempt(open, output.path("taskArn").asText(""), output.path("capacity").asText("unknown"),
                    Optional.of(new StepOutcome.Succeeded()), Optional.of(ended), cost);
        }
        String error;
        String cause;
        if (event.type() == HistoryEventType.TASK_FAILED) {
            error = event.taskFailedEventDetails().error();
            cause = event.taskFailedEventDetails().cause();
        } else {
            error = SkiffErrors.STATES_TIMEOUT;
            cause = event.taskTimedOutEventDetails() == null ? null : event.taskTimedOutEventDetails().cause();
        }
        String why = cause == null ? "" : cause;
        Matcher task = TASK_IN_CAUSE.matcher(why);
        boolean named = task.find();
        StepOutcome outcome = outcome(error == null ? "" : error, why);
        if (named) {
            Optional<BigDecimal> cost = task.group(3) != null ? Optional.of(new BigDecimal(task.group(3))) : Optional.empty();
            return attempt(open, task.group(1), task.group(2), Optional.of(outcome), Optional.of(at), cost);
        }
        // The cause did not keep the task (an emulator may drop it): the record written before the answer did.
        Optional<TaskReport> kept = records.stream().filter(r -> open.owns(r, TaskRecord.Kind.FAILED))
                .map(TaskRecord::task).findFirst();
        return attempt(open, kept.map(TaskReport::taskArn).orElse(""),
                kept.map(TaskReport::capacity).orElse("unknown"), Optional.of(outcome),
                Optional.of(kept.flatMap(TaskReport::stoppedAt).orElse(at)), kept.flatMap(TaskReport::costUsd));
    }

    /** The step outcome an error name stands for: the inverse of {@link TaskAnswer#of}. */
    static StepOutcome outcome(String error, String cause) {
        if (error.startsWith(SkiffErrors.EXIT_CODE_PREFIX)) {
            try {
                return new StepOutcome.Exited(Integer.parseInt(error.substring(SkiffErrors.EXIT_CODE_PREFIX.length())));
            } catch (NumberFormatException e) {
                return new StepOutcome.Lost(error + ": " + cause);
            }
        }
        return switch (error) {
            case SkiffErrors.TIMEOUT, SkiffErrors.STATES_TIMEOUT -> new StepOutcome.TimedOut();
            case SkiffErrors.START_FAILED -> new StepOutcome.StartFailed(cause, true);
            case SkiffErrors.START_REJECTED -> new StepOutcome.StartFailed(cause, false);
            case SkiffErrors.CANCELLED -> new StepOutcome.Cancelled(cause);
            default -> new StepOutcome.Lost(cause.isBlank() ? error : error + ": " + cause);
        };
    }

    private static Attempt attempt(Open open, String taskArn, String ranOn,
                                   Optional<StepOutcome> outcome, Optional<Instant> endedAt, Optional<BigDecimal> cost) {
        return new Attempt(open.number(), open.capacity(), taskArn, ranOn, "", open.scheduledAt(), open.deadline(),
                Optional.empty(), outcome, endedAt, cost);
    }

    /** The launch request a TaskScheduled sent: its attempt, step and run. */
    private static JsonNode messageBody(HistoryEvent scheduled) {
        JsonNode body = json(scheduled.taskScheduledEventDetails().parameters()).path("MessageBody");
        if (body.isTextual()) { // the service may record the body as a JSON string
            body = json(body.asText());
        }
        return body;
    }

    private static Optional<Integer> attemptOf(JsonNode body) {
        JsonNode retryCount = body.path(DispatchRequest.ATTEMPT);
        return retryCount.canConvertToInt() ? Optional.of(retryCount.asInt() + 1) : Optional.empty();
    }

    private static boolean closesTask(HistoryEventType type) {
        return type == HistoryEventType.TASK_SUCCEEDED || type == HistoryEventType.TASK_FAILED
                || type == HistoryEventType.TASK_TIMED_OUT;
    }

    private static boolean isExecutionEnd(HistoryEventType type) {
        return type == HistoryEventType.EXECUTION_ABORTED || type == HistoryEventType.EXECUTION_FAILED
                || type == HistoryEventType.EXECUTION_SUCCEEDED || type == HistoryEventType.EXECUTION_TIMED_OUT;
    }

    private static JsonNode json(String text) {
        if (text == null || text.isBlank()) {
            return JSON.missingNode();
        }
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            return JSON.missingNode();
        }
    }
}
