package dev.skiff.orchestrator.adapter.sfn;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.skiff.jobs.JobSpec;
import dev.skiff.jobs.JobSpecs;
import dev.skiff.testing.Repository;
import dev.skiff.workflows.CompileOptions;
import dev.skiff.workflows.DispatchRequest;
import dev.skiff.workflows.WorkflowCompiler;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.InvalidTokenException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * The compiled ASL of the pipeline golden cases (workflows/src/test/resources/cases/pipelines) runs on moto's Step
 * Functions as docs/pipelines.md says: the dispatch messages (items requests and launches, with item and index) are
 * answered here as the orchestrator's dispatcher would, and the execution ends as the pipeline's meaning says.
 */
class PipelineAslOnMotoTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WITHIN = Duration.ofSeconds(60);
    /** Moto reads an answer only once it waits for it; a heartbeat after the answer wakes a wait that missed it. */
    private static final Duration SETTLE = Duration.ofMillis(300);

    private final SfnClient sfn = MotoStepFunctions.sfn();
    private final SqsClient sqs = MotoStepFunctions.sqs();

    @AfterEach
    void close() {
        sfn.close();
        sqs.close();
    }

    /** What one dispatch message asked for: its kind, step and item index (null for none). */
    private record Dispatched(String kind, String step, Integer itemIndex) {
    }

    @Test
    void shouldSucceedWhenOneItemFailsWithinTheTolerance() throws Exception {
        // Given the ETL pipeline: extract, transform each partition (one failure tolerated), load
        // When the items are three partitions and the second one fails
        var run = run("etl", Map.of(), message -> itemIs(message, 1) ? Optional.of("Skiff.ExitCode.1") : Optional.empty());

        // Then the run succeeds, and every step and item was dispatched once, in order of dependencies
        assertThat(run.execution().status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(run.dispatched()).containsExactlyInAnyOrder(
                new Dispatched("launch", "extract", null), new Dispatched("items", "transform", null),
                new Dispatched("launch", "transform", 0), new Dispatched("launch", "transform", 1),
                new Dispatched("launch", "transform", 2), new Dispatched("launch", "load", null));
        assertThat(run.dispatched().get(0).step()).isEqualTo("extract");
        assertThat(run.dispatched().get(run.dispatched().size() - 1).step()).isEqualTo("load");
    }

    @Test
    void shouldFailWithTooManyFailedItemsWhenMoreItemsFailThanTolerated() throws Exception {
        // Given the ETL pipeline
        // When two of the three partitions fail
        var run = run("etl", Map.of(), message -> itemIs(message, 0) || itemIs(message, 2)
                ? Optional.of("Skiff.ExitCode.1") : Optional.empty());

        // Then the run fails with the step's tolerance error, and load never starts
        assertThat(run.execution().status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(run.execution().error()).isEqualTo("Skiff.TooManyFailedItems");
        assertThat(run.dispatched()).extracting(Dispatched::step).doesNotContain("load");
    }

    @Test
    void shouldFailWithTheStepsOwnErrorWhenALaterStepFails() throws Exception {
        // Given the ETL pipeline whose items all succeed
        // When load exits 5
        var run = run("etl", Map.of(), message -> message.path("step").asText().equals("load")
                ? Optional.of("Skiff.ExitCode.5") : Optional.empty());

        // Then the run fails with load's error
        assertThat(run.execution().status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(run.execution().error()).isEqualTo("Skiff.ExitCode.5");
    }

    @Test
    void shouldFailWithTheBranchStepsErrorWhenAStepInAParallelBranchFails() throws Exception {
        // Given list, then resize (a fan-out) beside index, then report
        // When index exits 7
        var run = run("fan-out-in-parallel", Map.of(), message -> message.path("step").asText().equals("index")
                ? Optional.of("Skiff.ExitCode.7") : Optional.empty());

        // Then the Parallel's Catch carried index's own error to the run, and report never started
        assertThat(run.execution().status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(run.execution().error()).isEqualTo("Skiff.ExitCode.7");
        assertThat(run.dispatched()).extracting(Dispatched::step).contains("index").doesNotContain("report");
    }

    private static boolean itemIs(JsonNode message, int index) {
        return message.path(DispatchRequest.ITEM_INDEX).isInt() && message.path(DispatchRequest.ITEM_INDEX).asInt() == index;
    }

    private record Run(DescribeExecutionResponse execution, List<Dispatched> dispatched) {
    }

    /**
     * Creates the case's state machine on moto, starts an execution and answers its messages until it ends: an items
     * request with three items (maxFailures 1 for the ETL case's tolerance of one), a launch with success or the
     * error {@code failure} gives.
     */
    private Run run(String name, Map<String, String> parameters, Function<JsonNode, Optional<String>> failure)
            throws Exception {
        var root = Repository.root().resolve("workflows/src/test/resources/cases/pipelines");
        JobSpec job = JobSpecs.parse(name + ".yaml", Files.readString(root.resolve(name + ".yaml")));
        String queue = MotoStepFunctions.dispatchQueue(sqs);
        String definition = WorkflowCompiler.compile(job, CompileOptions.defaults().withDispatchQueueUrl(queue));
        String machine = sfn.createStateMachine(r -> r.name(MotoStepFunctions.jobName(job.name()))
                .roleArn(MotoStepFunctions.ROLE_ARN).definition(definition)).stateMachineArn();
        String execution = sfn.startExecution(r -> r.stateMachineArn(machine).name("run-" + System.nanoTime())
                .input(ExecutionRuns.input(parameters))).executionArn();

        var dispatched = new ArrayList<Dispatched>();
        Instant giveUp = Instant.now().plus(WITHIN);
        while (Instant.now().isBefore(giveUp) && status(execution) == ExecutionStatus.RUNNING) {
            for (Message m : sqs.receiveMessage(r -> r.queueUrl(queue).waitTimeSeconds(1).maxNumberOfMessages(10)).messages()) {
                sqs.deleteMessage(r -> r.queueUrl(queue).receiptHandle(m.receiptHandle()));
                if (status(execution) != ExecutionStatus.RUNNING) {
                    // A sibling's message after another branch failed the run: its token is no longer valid.
                    break;
                }
                JsonNode message = JSON.readTree(m.body());
                DispatchRequest request = DispatchRequest.parse(m.body());
                dispatched.add(new Dispatched(request.kind().wireName(), request.step(),
                        request.itemIndex().isPresent() ? request.itemIndex().getAsInt() : null));
                answer(execution, request,
                        request.kind() == DispatchRequest.Kind.ITEMS ? Optional.empty() : failure.apply(message));
            }
        }
        return new Run(sfn.describeExecution(r -> r.executionArn(execution)), dispatched);
    }

    private void answer(String execution, DispatchRequest request, Optional<String> error) throws InterruptedException {
        Thread.sleep(SETTLE.toMillis());
        String token = request.taskToken();
        try {
            if (error.isPresent()) {
                sfn.sendTaskFailure(r -> r.taskToken(token).error(error.get()).cause("failed on purpose"));
            } else if (request.kind() == DispatchRequest.Kind.ITEMS) {
                sfn.sendTaskSuccess(r -> r.taskToken(token).output("""
                        {"items": [{"name": "p0"}, {"name": "p1"}, {"name": "p2"}], "maxFailures": 1}"""));
            } else {
                sfn.sendTaskSuccess(r -> r.taskToken(token).output("{}"));
            }
        } catch (InvalidTokenException e) {
            // A sibling branch failed the run after the message was taken: its branch is torn down, the run ends.
            if (!endsSoon(execution)) {
                throw e;
            }
            return;
        }
        // Moto reads an answer it was not yet listening for only after HeartbeatSeconds: see MotoStepFunctions
        MotoStepFunctions.heartbeatUntilAccepted(sfn, token, () -> status(execution) == ExecutionStatus.RUNNING,
                WITHIN);
    }

    private boolean endsSoon(String execution) throws InterruptedException {
        for (Instant until = Instant.now().plusSeconds(10); Instant.now().isBefore(until); Thread.sleep(200)) {
            if (status(execution) != ExecutionStatus.RUNNING) {
                return true;
            }
        }
        return false;
    }

    private ExecutionStatus status(String execution) {
        return sfn.describeExecution(r -> r.executionArn(execution)).status();
    }
}
