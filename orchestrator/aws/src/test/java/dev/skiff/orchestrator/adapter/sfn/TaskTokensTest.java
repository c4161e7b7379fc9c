package dev.skiff.orchestrator.adapter.sfn;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.skiff.jobs.JobSpec;
import dev.skiff.orchestrator.TestSpecs;
import dev.skiff.workflows.Run;
import dev.skiff.workflows.RunIds;
import dev.skiff.workflows.RunStatus;
import dev.skiff.workflows.StepOutcome;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The answering side against moto's own execution of the compiled ASL: the task state really sends its
 * launch request to the dispatch queue (sqs:sendMessage.waitForTaskToken) and waits for the token.
 */
class TaskTokensTest {

    private static final Duration WITHIN = Duration.ofSeconds(20);

    private static SfnClient sfn;
    private static SqsClient sqs;

    private String queue;
    private StepFunctionsRunEngine engine;
    private TaskTokens tokens;

    @BeforeAll
    static void clients() {
        sfn = MotoStepFunctions.sfn();
        sqs = MotoStepFunctions.sqs();
    }

    @AfterAll
    static void close() {
        sfn.close();
        sqs.close();
    }

    @BeforeEach
    void engine() {
        queue = MotoStepFunctions.dispatchQueue(sqs);
        var machines = new StateMachines(sfn, StateMachineOptions.of(MotoStepFunctions.ROLE_ARN, queue));
        engine = new StepFunctionsRunEngine(sfn, machines, CancelledExecutions.NONE, name -> java.util.Optional.empty(),
                MotoStepFunctions.taskRecords(), java.time.Clock.systemUTC());
        tokens = new TaskTokens(sfn);
    }

    /** Answers as the dispatcher does, then makes sure moto reads the answer: see MotoStepFunctions. */
    private TaskTokens.Delivery answer(String runId, String token, StepOutcome outcome) throws InterruptedException {
        return MotoStepFunctions.answer(sfn, token, outcome, TaskAnswerTest.TASK,
                () -> !engine.get(runId).orElseThrow().status().isTerminal(), WITHIN);
    }

    @Test
    void shouldEndTheRunSucceededWhenTheTaskTokenIsAnsweredWithSuccess() throws Exception {
        // Given a run whose step waits for its task
        JobSpec job = TestSpecs.shell(MotoStepFunctions.jobName("ok"), "true");
        String runId = RunIds.idempotencyKey(job.name(), "ok");
        engine.start(runId, job, "api", Map.of());
        JsonNode request = MotoStepFunctions.nextLaunchRequest(sqs, queue, WITHIN);

        // When the heartbeat and then the task's success are sent with the token from the launch request (once moto
        // listens for it: it may send the request first; the token was never answered, so waiting changes no answer)
        String token = request.path("taskToken").asText();
        assertThat(MotoStepFunctions.heartbeatUntilAccepted(sfn, token, () -> true, WITHIN))
                .as("moto listens for %s", token).isTrue();
        var heartbeat = tokens.heartbeat(token);
        var delivery = answer(runId, token, new StepOutcome.Succeeded());

        // Then the run ends SUCCEEDED
        assertThat(heartbeat).isEqualTo(TaskTokens.Delivery.DELIVERED);
        assertThat(delivery).isEqualTo(TaskTokens.Delivery.DELIVERED);
        MotoStepFunctions.awaitStatus(() -> engine.get(runId).orElseThrow().status(), RunStatus.SUCCEEDED, WITHIN);
        assertThat(engine.get(runId).orElseThrow().endedAt()).isPresent();
    }

    @Test
    void shouldRetryThenEndFailedWithTheExitCodeWhenEveryAttemptFails() throws Exception {
        // Given a job retried once on any exit code after 1s, and a run of it
        JobSpec job = TestSpecs.shell(MotoStepFunctions.jobName("fails"), "exit 3", """
                retries:
                  maxAttempts: 2
                  backoff: {interval: 1s}
                  retryOn: [exit-code]
                """);
        String runId = RunIds.idempotencyKey(job.name(), "fails");
        engine.start(runId, job, "api", Map.of());

        // When both attempts fail with exit code 3
        JsonNode first = MotoStepFunctions.nextLaunchRequest(sqs, queue, WITHIN);
        answer(runId, first.path("taskToken").asText(), new StepOutcome.Exited(3));
        JsonNode second = MotoStepFunctions.nextLaunchRequest(sqs, queue, WITHIN);
        answer(runId, second.path("taskToken").asText(), new StepOutcome.Exited(3));

        // Then the ASL Retry launched a second attempt, and the run ended FAILED with the step's error
        assertThat(first.path("attempt").asInt()).isZero();
        assertThat(second.path("attempt").asInt()).isEqualTo(1);
        MotoStepFunctions.awaitStatus(() -> engine.get(runId).orElseThrow().status(), RunStatus.FAILED, WITHIN);
        Run run = engine.get(runId).orElseThrow();
        assertThat(run.error()).contains("Skiff.ExitCode.3");
        // moto 5.2.5 drops SendTaskFailure's cause (its handler passes only the error on), so the run has none
        // here; on AWS the Fail state's CausePath carries TaskAnswer's cause, which TaskAnswerTest covers.
        assertThat(run.cause()).isEmpty();
    }

    /**
     * AWS answers a token whose step ended with TaskTimedOut ("Provided task does not exist anymore"); moto 5.2.5
     * answers InvalidToken instead for SendTaskSuccess (and ignores a repeated SendTaskFailure silently). Both mean
     * there is nothing left to answer, so {@link TaskTokens} reports {@link TaskTokens.Delivery#ALREADY_CLOSED}.
     */
    @Test
    void shouldChangeNothingWhenATokenIsAnsweredTwice() throws Exception {
        // Given a step answered once
        JobSpec job = TestSpecs.shell(MotoStepFunctions.jobName("twice"), "true");
        String runId = RunIds.idempotencyKey(job.name(), "twice");
        engine.start(runId, job, "api", Map.of());
        String token = MotoStepFunctions.nextLaunchRequest(sqs, queue, WITHIN).path("taskToken").asText();
        answer(runId, token, new StepOutcome.Succeeded());
        MotoStepFunctions.awaitStatus(() -> engine.get(runId).orElseThrow().status(), RunStatus.SUCCEEDED, WITHIN);

        // When the success is answered again (an event delivered twice)
        // Then the token counts as closed, and the run stays SUCCEEDED
        assertThat(tokens.answer(token, new StepOutcome.Succeeded(), TaskAnswerTest.TASK))
                .isEqualTo(TaskTokens.Delivery.ALREADY_CLOSED);
        assertThat(engine.get(runId).orElseThrow().status()).isEqualTo(RunStatus.SUCCEEDED);
    }
}
