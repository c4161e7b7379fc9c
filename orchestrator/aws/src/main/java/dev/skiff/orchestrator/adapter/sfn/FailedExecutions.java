package dev.skiff.orchestrator.adapter.sfn;

import dev.skiff.workflows.RunStatus;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.ExecutionDoesNotExistException;
import software.amazon.awssdk.services.sfn.model.ExecutionListItem;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;

/**
 * The status a listed execution's run shows. A FAILED execution is a FAILED, TIMED_OUT or CANCELLED run, told apart
 * only by its error, which ListExecutions does not give: it is read once with DescribeExecution (whose quota is far
 * below ListExecutions') and kept, since a failed execution never changes. A redrive would end it again with a new
 * stop date, which is part of the key. At most {@link #CAPACITY} are kept, the least recently listed going first.
 */
final class FailedExecutions {

    /** About 200 bytes an entry: a couple of MB at most. */
    static final int CAPACITY = 10_000;

    private record Key(String executionArn, Instant stopDate) {
    }

    private final SfnClient sfn;
    private final Map<Key, RunStatus> known = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Key, RunStatus> eldest) {
            return size() > CAPACITY;
        }
    };

    FailedExecutions(SfnClient sfn) {
        this.sfn = sfn;
    }

    /** The status without a call: empty only for a FAILED execution not described yet. */
    synchronized Optional<RunStatus> known(ExecutionListItem execution) {
        if (execution.status() != ExecutionStatus.FAILED) {
            return Optional.of(ExecutionRuns.statusOf(execution.status()));
        }
        return Optional.ofNullable(known.get(key(execution)));
    }

    /** The status, described (one DescribeExecution) if it is not known yet. */
    RunStatus statusOf(ExecutionListItem execution) {
        return known(execution).orElseGet(() -> describe(execution));
    }

    private RunStatus describe(ExecutionListItem execution) {
        RunStatus status;
        try {
            String error = sfn.describeExecution(r -> r.executionArn(execution.executionArn())).error();
            status = ExecutionRuns.statusOf(ExecutionStatus.FAILED, error);
        } catch (ExecutionDoesNotExistException gone) {
            return RunStatus.FAILED; // deleted with its state machine since it was listed: nothing to keep
        }
        synchronized (this) {
            known.put(key(execution), status);
        }
        return status;
    }

    private static Key key(ExecutionListItem execution) {
        return new Key(execution.executionArn(), execution.stopDate());
    }
}
