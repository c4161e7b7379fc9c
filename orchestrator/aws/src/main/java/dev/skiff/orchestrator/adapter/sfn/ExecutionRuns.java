package dev.skiff.orchestrator.adapter.sfn;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.workflows.Run;
import dev.skiff.workflows.RunIds;
import dev.skiff.workflows.RunStatus;
import dev.skiff.workflows.SkiffErrors;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionListItem;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;

/**
 * Executions as runs, and runs' parameters as execution input: pure mappings, so the engine holds only calls.
 * Step Functions keeps the attempts in the execution's history; these runs carry none (see the engine).
 */
final class ExecutionRuns {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ExecutionRuns() {
    }

    /** The execution input the compiled definition reads: {@code {"parameters": {...}}}, never without the object. */
    static String input(Map<String, String> parameters) {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode values = root.putObject("parameters");
        new TreeMap<>(parameters).forEach(values::put);
        return root.toString();
    }

    /** The parameters back from an execution's input; empty for input that is not Skiff's shape. */
    static Map<String, String> parameters(String input) {
        if (input == null || input.isBlank()) {
            return Map.of();
        }
        try {
            JsonNode values = JSON.readTree(input).path("parameters");
            var parameters = new LinkedHashMap<String, String>();
            values.fields().forEachRemaining(e -> parameters.put(e.getKey(), e.getValue().asText()));
            return parameters;
        } catch (JsonProcessingException e) {
            return Map.of();
        }
    }

    static Run of(String job, DescribeExecutionResponse execution) {
        RunStatus status = statusOf(execution.status(), execution.error());
        return new Run(execution.name(), job, RunIds.triggerOf(execution.name()), parameters(execution.input()),
                status, execution.startDate(), Optional.ofNullable(execution.stopDate()),
                List.of(), Optional.empty(), Optional.ofNullable(execution.error()), Optional.ofNullable(execution.cause()));
    }

    /**
     * A run from a list entry, which has no input, error or cause ({@code get} gives those).
     *
     * @param status the status the run shows (for a failed execution, see {@link FailedExecutions})
     */
    static Run of(String job, ExecutionListItem execution, RunStatus status) {
        return new Run(execution.name(), job, RunIds.triggerOf(execution.name()), Map.of(), status,
                execution.startDate(), Optional.ofNullable(execution.stopDate()), List.of(), Optional.empty(),
                Optional.empty(), Optional.empty());
    }

    /**
     * A failed execution whose step failed for a timeout or a cancel shows as the embedded engine shows such a
     * run: TIMED_OUT or CANCELLED. (The error is known only to DescribeExecution, not to a list.)
     */
    static RunStatus statusOf(ExecutionStatus status, String error) {
        if (status == ExecutionStatus.FAILED && SkiffErrors.CANCELLED.equals(error)) {
            return RunStatus.CANCELLED;
        }
        if (status == ExecutionStatus.FAILED && (SkiffErrors.TIMEOUT.equals(error) || SkiffErrors.STATES_TIMEOUT.equals(error))) {
            return RunStatus.TIMED_OUT;
        }
        return statusOf(status);
    }

    /**
     * Step Functions knows no PENDING or RETRY_WAIT: an execution waiting for a launch or a Retry is RUNNING.
     * An aborted execution is a cancelled run; one waiting to be redriven has failed.
     */
    static RunStatus statusOf(ExecutionStatus status) {
        return switch (status) {
            case RUNNING -> RunStatus.RUNNING;
            case SUCCEEDED -> RunStatus.SUCCEEDED;
            case TIMED_OUT -> RunStatus.TIMED_OUT;
            case ABORTED -> RunStatus.CANCELLED;
            case FAILED, PENDING_REDRIVE -> RunStatus.FAILED;
            default -> throw new IllegalArgumentException("unknown execution status " + status);
        };
    }

    /**
     * The execution statuses whose runs may show as one of these run statuses: a FAILED execution's run may show
     * FAILED, TIMED_OUT or CANCELLED (its error decides).
     */
    static Set<ExecutionStatus> executionStatuses(Set<RunStatus> statuses) {
        Set<ExecutionStatus> matching = EnumSet.noneOf(ExecutionStatus.class);
        for (ExecutionStatus s : List.of(ExecutionStatus.RUNNING, ExecutionStatus.SUCCEEDED, ExecutionStatus.FAILED,
                ExecutionStatus.TIMED_OUT, ExecutionStatus.ABORTED, ExecutionStatus.PENDING_REDRIVE)) {
            Set<RunStatus> shown = s == ExecutionStatus.FAILED
                    ? EnumSet.of(RunStatus.FAILED, RunStatus.TIMED_OUT, RunStatus.CANCELLED) : EnumSet.of(statusOf(s));
            if (shown.stream().anyMatch(status -> shows(status, statuses))) {
                matching.add(s);
            }
        }
        return matching;
    }

    /**
     * Whether a run showing this status is one of those asked for. A run waiting for a launch or a retry shows
     * RUNNING (Step Functions knows no PENDING or RETRY_WAIT), so asking for those finds running runs.
     */
    static boolean shows(RunStatus shown, Set<RunStatus> asked) {
        return asked.contains(shown) || (shown == RunStatus.RUNNING && asked.stream().anyMatch(RunStatus::isAwaitingLaunch));
    }

    /** {@code arn:...:stateMachine:<name>} → {@code arn:...:execution:<name>:<execution>}. */
    static String executionArn(String stateMachineArn, String executionName) {
        return stateMachineArn.replace(":stateMachine:", ":execution:") + ":" + executionName;
    }

}
