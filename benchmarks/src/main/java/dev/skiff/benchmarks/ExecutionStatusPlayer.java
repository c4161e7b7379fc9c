package dev.skiff.benchmarks;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionListItem;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Plays EventBridge's rule on the default bus for Step Functions, which moto does not emit: polls the executions of the
 * given state machines and sends each one's Execution Status Change to the service's task-events queue when it first
 * shows RUNNING and when it ends, dated from DescribeExecution. Keeps, by execution name (the run id), when each end was
 * sent, so the part this polling adds to a hand-over can be told apart, and each one's input (its run's parameters).
 */
final class ExecutionStatusPlayer implements AutoCloseable {

    private static final long EVERY_MS = 50;

    /** An execution's end as the player announced it: Step Functions' dates and when the status change was sent. */
    record Ended(String status, Instant startDate, Instant stopDate, Instant sentAt) {
    }

    private final SfnClient sfn;
    private final SqsClient sqs;
    private final String taskEventsQueue;
    private final List<String> machines;
    /** Each announced execution's input, by name. */
    private final Map<String, String> started = new ConcurrentHashMap<>();
    private final Map<String, Ended> ended = new ConcurrentHashMap<>();
    private final RepeatedRound rounds;

    ExecutionStatusPlayer(SfnClient sfn, SqsClient sqs, String taskEventsQueue, List<String> machines) {
        this.sfn = sfn;
        this.sqs = sqs;
        this.taskEventsQueue = taskEventsQueue;
        this.machines = List.copyOf(machines);
        this.rounds = new RepeatedRound("playing Step Functions' status changes", EVERY_MS, this::play);
    }

    /** One round: what failed is tried again next round (nothing is recorded before it was sent). */
    private void play() {
        for (String machine : machines) {
            for (ExecutionListItem execution : sfn.listExecutionsPaginator(r -> r.stateMachineArn(machine)
                    .maxResults(1000)).executions()) {
                boolean news = !started.containsKey(execution.name());
                boolean ending = execution.status() != ExecutionStatus.RUNNING && !ended.containsKey(execution.name());
                if (news || ending) {
                    announce(sfn.describeExecution(r -> r.executionArn(execution.executionArn())));
                }
            }
        }
    }

    private void announce(DescribeExecutionResponse execution) {
        if (!started.containsKey(execution.name())) {
            send(execution, ExecutionStatus.RUNNING);
            started.put(execution.name(), execution.input());
        }
        if (execution.status() != ExecutionStatus.RUNNING) {
            send(execution, execution.status());
            ended.put(execution.name(), new Ended(execution.statusAsString(), execution.startDate(), execution.stopDate(),
                    Instant.now()));
        }
    }

    /** The status change as EventBridge's rule on the default bus delivers it (dates in epoch milliseconds). */
    private void send(DescribeExecutionResponse execution, ExecutionStatus status) {
        Instant stop = status == ExecutionStatus.RUNNING ? null : execution.stopDate();
        String body = """
                {"version": "0", "id": "%s", "detail-type": "Step Functions Execution Status Change",
                 "source": "aws.states", "account": "123456789012", "time": "%s", "region": "%s",
                 "resources": ["%s"],
                 "detail": {"executionArn": "%s", "stateMachineArn": "%s", "name": "%s", "status": "%s",
                            "startDate": %d, "stopDate": %s}}""".formatted(UUID.randomUUID(), Instant.now(),
                MotoCluster.REGION.id(), execution.stateMachineArn(), execution.executionArn(),
                execution.stateMachineArn(), execution.name(), status, execution.startDate().toEpochMilli(),
                stop == null ? "null" : Long.toString(stop.toEpochMilli()));
        sqs.sendMessage(r -> r.queueUrl(taskEventsQueue).messageBody(body));
    }

    /** The inputs of the executions announced as started, by name (the run id). */
    Map<String, String> startedInputs() {
        return Map.copyOf(started);
    }

    /** The end of the execution named so, once announced. */
    Optional<Ended> ended(String name) {
        return Optional.ofNullable(ended.get(name));
    }

    int errors() {
        return rounds.errors();
    }

    @Override
    public void close() throws InterruptedException {
        rounds.close();
    }
}
