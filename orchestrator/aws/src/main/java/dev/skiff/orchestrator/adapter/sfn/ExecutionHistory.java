package dev.skiff.orchestrator.adapter.sfn;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.skiff.jobs.Capacity;
import dev.skiff.orchestrator.port.TaskRecord;
import dev.skiff.orchestrator.port.TaskReport;
import dev.skiff.workflows.Attempt;
import dev.skiff.workflows.DispatchRequest;
import dev.skiff.workflows.SkiffErrors;
import dev.skiff.workflows.StepOutcome;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
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
        Optional<Integer> open = Optional.empty();
        for (HistoryEvent event : events) {
            if (event.type() == HistoryEventType.TASK_SCHEDULED) {
                open = attemptOf(messageBody(event));
            } else if (closesTask(event.type()) || isExecutionEnd(event.type())) {
                open = Optional.empty();
            }
        }
        return open.isPresent() && open.get() == attempt;
    }

    /**
     * @param capacity the job's capacity, which every attempt asks for
     * @param records  the run's task records
     */
    List<Attempt> attempts(Capacity capacity, List<TaskRecord> records) {
        List<Attempt> attempts = new ArrayList<>();
        Open open = null;
        for (HistoryEvent event : events) {
            if (event.type() == HistoryEventType.TASK_SCHEDULED) {
                JsonNode body = messageBody(event);
                Optional<Integer> number = attemptOf(body);
                String step = body.path(DispatchRequest.STEP).asText("main");
                Long timeout = event.taskScheduledEventDetails().timeoutInSeconds();
                open = number.map(n -> new Open(step, n, event.timestamp(),
                        timeout == null ? Instant.MAX : event.timestamp().plusSeconds(timeout))).orElse(null);
            } else if (open != null && closesTask(event.type())) {
                attempts.addAll(interrupted(open, capacity, records));
                attempts.add(closed(open, capacity, event, records));
                open = null;
            } else if (open != null && isExecutionEnd(event.type())) {
                attempts.addAll(interrupted(open, capacity, records));
                attempts.add(attempt(open, capacity, "", "unknown", Optional.of(new StepOutcome.Cancelled(
                        "the execution ended while the attempt ran")), Optional.of(event.timestamp()), Optional.empty()));
                open = null;
            }
        }
        if (open != null) {
            attempts.addAll(interrupted(open, capacity, records));
            attempts.add(attempt(open, capacity, "", "unknown", Optional.empty(), Optional.empty(), Optional.empty()));
        }
        return attempts;
    }

    private record Open(String step, int number, Instant scheduledAt, Instant deadline) {

        boolean owns(TaskRecord record, TaskRecord.Kind kind) {
            return record.kind() == kind && record.step().equals(step) && record.attempt() == number;
        }
    }

    /** The attempt's tasks that Spot interrupted, oldest first: each an entry of the attempt's number. */
    private static List<Attempt> interrupted(Open open, Capacity capacity, List<TaskRecord> records) {
        return records.stream()
                .filter(record -> open.owns(record, TaskRecord.Kind.INTERRUPTED))
                .sorted(Comparator.comparing(r -> r.task().startedAt().orElse(open.scheduledAt())))
                .map(record -> new Attempt(open.number(), capacity, record.task().taskArn(), record.task().capacity(), "",
                        record.task().startedAt().orElse(open.scheduledAt()), open.deadline(), Optional.empty(),
                        Optional.of(new StepOutcome.SpotInterrupted("Fargate Spot took the capacity back; the attempt ran again")),
                        record.task().stoppedAt(), record.task().costUsd()))
                .toList();
    }

    private static Attempt closed(Open open, Capacity capacity, HistoryEvent event, List<TaskRecord> records) {
        Instant at = event.timestamp();
        if (event.type() == HistoryEventType.TASK_SUCCEEDED) {
            JsonNode output = json(event.taskSucceededEventDetails().output());
            Optional<BigDecimal> cost = output.hasNonNull("costUsd")
                    ? Optional.of(output.get("costUsd").decimalValue()) : Optional.empty();
            Instant ended = output.hasNonNull("stoppedAt") ? Instant.parse(output.get("stoppedAt").asText()) : at;
            return attempt(open, capacity, output.path("taskArn").asText(""), output.path("capacity").asText("unknown"),
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
            return attempt(open, capacity, task.group(1), task.group(2), Optional.of(outcome), Optional.of(at), cost);
        }
        // The cause did not keep the task (an emulator may drop it): the record written before the answer did.
        Optional<TaskReport> kept = records.stream().filter(r -> open.owns(r, TaskRecord.Kind.FAILED))
                .map(TaskRecord::task).findFirst();
        return attempt(open, capacity, kept.map(TaskReport::taskArn).orElse(""),
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

    private static Attempt attempt(Open open, Capacity capacity, String taskArn, String ranOn,
                                   Optional<StepOutcome> outcome, Optional<Instant> endedAt, Optional<BigDecimal> cost) {
        return new Attempt(open.number(), capacity, taskArn, ranOn, "", open.scheduledAt(), open.deadline(),
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
