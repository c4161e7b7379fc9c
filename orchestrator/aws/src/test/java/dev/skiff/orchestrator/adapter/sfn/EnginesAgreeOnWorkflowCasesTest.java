package dev.skiff.orchestrator.adapter.sfn;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.jobs.JobSpec;
import dev.skiff.jobs.JobSpecs;
import dev.skiff.orchestrator.port.TaskReport;
import dev.skiff.testing.Repository;
import dev.skiff.workflows.Attempt;
import dev.skiff.workflows.Run;
import dev.skiff.workflows.RunEvent;
import dev.skiff.workflows.RunIds;
import dev.skiff.workflows.RunLifecycle;
import dev.skiff.workflows.StepOutcome;
import dev.skiff.workflows.WorkflowCompiler;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * The two implementations of a run's semantics must agree, as event-ruler's correctness cases make its two matchers
 * agree: every job of {@code workflows/src/test/resources/cases/} is run through {@link RunLifecycle} (the embedded
 * engine's rules) and through its compiled ASL executed by moto's Step Functions, with the same step outcomes fed to
 * both, and both must end the same way: status, error name, and the attempts with how each ended.
 *
 * <p>Only the ASL's retry intervals are shortened for moto (which sleeps them for real): when a retry comes is no part
 * of how a run ends. Spot interruptions and Spot capacity are not fed: Step Functions never hears of them (the
 * dispatch side relaunches within the attempt; see StepFunctionsModeTest).
 */
class EnginesAgreeOnWorkflowCasesTest {

    private static final Path CASES = Repository.root().resolve("workflows/src/test/resources/cases");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant T0 = Instant.parse("2026-11-26T02:00:00Z");
    private static final Duration WITHIN = Duration.ofSeconds(60);
    private static final TaskReport TASK = new TaskReport("arn:aws:ecs:us-east-1:123456789012:task/skiff/differential",
            "spot", Optional.empty(), Optional.empty(), Optional.empty());

    /**
     * The outcome sequences fed to every case: attempt n gets the n-th outcome, or the last one once they run out.
     * Each kind of outcome a step's token can be answered with appears, retried and not.
     */
    private static final Map<String, List<StepOutcome>> SCENARIOS = scenarios();

    private final SfnClient sfn = MotoStepFunctions.sfn();
    private final SqsClient sqs = MotoStepFunctions.sqs();

    @AfterEach
    void close() {
        sfn.close();
        sqs.close();
    }

    private static Map<String, List<StepOutcome>> scenarios() {
        var scenarios = new LinkedHashMap<String, List<StepOutcome>>();
        scenarios.put("ok", List.of(new StepOutcome.Succeeded()));
        scenarios.put("exit3-then-ok", List.of(new StepOutcome.Exited(3), new StepOutcome.Succeeded()));
        scenarios.put("exit3-always", List.of(new StepOutcome.Exited(3)));
        scenarios.put("exit1-then-ok", List.of(new StepOutcome.Exited(1), new StepOutcome.Succeeded()));
        scenarios.put("exit137-timeout-exit75", List.of(new StepOutcome.Exited(137), new StepOutcome.TimedOut(),
                new StepOutcome.Exited(75)));
        scenarios.put("timeout-then-ok", List.of(new StepOutcome.TimedOut(), new StepOutcome.Succeeded()));
        scenarios.put("start-failed-then-ok", List.of(new StepOutcome.StartFailed("image pull timed out", true),
                new StepOutcome.Succeeded()));
        scenarios.put("lost-always", List.of(new StepOutcome.Lost("the task vanished")));
        scenarios.put("rejected", List.of(new StepOutcome.StartFailed("no such image", false)));
        scenarios.put("cancelled", List.of(new StepOutcome.Cancelled("stopped by hand")));
        return scenarios;
    }

    static Stream<String> cases() throws Exception {
        try (var files = Files.list(CASES)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".yaml"))
                    .map(n -> n.substring(0, n.length() - ".yaml".length())).sorted().toList().stream();
        }
    }

    @Test
    void shouldFindEveryCaseWhenTheCasesAreRead() throws Exception {
        // A missing directory must not pass as zero agreeing cases
        assertThat(cases()).hasSize(5);
    }

    @ParameterizedTest
    @MethodSource("cases")
    void shouldEndTheSameWayOnBothEnginesWhenFedTheSameOutcomes(String name) throws Exception {
        // Given the case's job and its compiled ASL (still the compiler's output), on a state machine of moto
        JobSpec job = JobSpecs.parse(name + ".yaml", Files.readString(CASES.resolve(name + ".yaml")));
        String asl = Files.readString(CASES.resolve(name + ".asl.json"));
        assertThat(WorkflowCompiler.compile(job)).as("case %s is its compiler's output", name).isEqualTo(asl);
        String queue = MotoStepFunctions.dispatchQueue(sqs);
        String prefix = "d" + UUID.randomUUID().toString().substring(0, 8) + "-";
        String definition = withShortRetries(asl.replace("${DispatchQueueUrl}", queue));
        sfn.createStateMachine(r -> r.name(prefix + job.name()).roleArn(MotoStepFunctions.ROLE_ARN).definition(definition));
        var machines = new StateMachines(sfn, StateMachineOptions.of(MotoStepFunctions.ROLE_ARN, queue).withNamePrefix(prefix));
        var engine = new StepFunctionsRunEngine(sfn, machines, CancelledExecutions.NONE, n -> Optional.of(job),
                MotoStepFunctions.taskRecords(), Clock.systemUTC());
        String machine = machines.arnOf(job.name()).orElseThrow();

        // When every scenario runs on both: an execution per scenario, each attempt's token answered with its outcome
        Map<String, List<StepOutcome>> byRun = new LinkedHashMap<>();
        SCENARIOS.forEach((scenario, outcomes) -> byRun.put(RunIds.idempotencyKey(job.name(), scenario), outcomes));
        byRun.keySet().forEach(runId -> sfn.startExecution(r -> r.stateMachineArn(machine).name(runId)
                .input(ExecutionRuns.input(Map.of()))));
        answerUntilEnded(engine, machines, job.name(), queue, byRun);

        // Then each ended the same way on Step Functions as by the run lifecycle
        List<String> disagreements = new ArrayList<>();
        byRun.forEach((runId, outcomes) -> {
            String lifecycle = ending(byLifecycle(job, runId, outcomes));
            String stepFunctions = ending(engine.get(runId).orElseThrow());
            if (!lifecycle.equals(stepFunctions)) {
                disagreements.add(runId + ": lifecycle " + lifecycle + " / Step Functions " + stepFunctions);
            }
        });
        assertThat(disagreements).as("case %s: scenarios the engines end differently", name).isEmpty();
    }

    /** How a run ended, in the terms both engines must agree on. */
    private static String ending(Run run) {
        List<String> attempts = run.attempts().stream().map(EnginesAgreeOnWorkflowCasesTest::ending).toList();
        return run.status() + " " + run.error().orElse("-") + " " + attempts;
    }

    private static String ending(Attempt attempt) {
        StepOutcome outcome = attempt.outcome().orElseThrow(() -> new AssertionError("attempt " + attempt.number() + " never ended"));
        String kind = outcome.getClass().getSimpleName();
        if (outcome instanceof StepOutcome.Exited e) {
            return attempt.number() + ":" + kind + "(" + e.exitCode() + ")";
        }
        return attempt.number() + ":" + (outcome instanceof StepOutcome.StartFailed s ? kind + "(" + s.retryable() + ")" : kind);
    }

    /**
     * The run as the embedded engine's rules take it through the same outcomes. A timed-out attempt goes as the embedded
     * engine sees one: its deadline passes, the engine stops the task, and the task ends killed.
     */
    private static Run byLifecycle(JobSpec job, String runId, List<StepOutcome> outcomes) {
        RunLifecycle lifecycle = new RunLifecycle(job);
        Run run = Run.create(runId, job.name(), "api", Map.of(), job.capacity(), T0);
        Instant now = T0;
        while (!run.status().isTerminal()) {
            Run.PendingLaunch next = run.nextLaunch().orElseThrow(() -> new AssertionError(runId + ": waits for nothing"));
            now = (next.notBefore().isAfter(now) ? next.notBefore() : now).plusSeconds(1);
            run = lifecycle.apply(run, new RunEvent.Launched(next.attempt(), next.capacity(), "task-" + next.attempt(),
                    "spot", "", now, now.plus(job.timeout()))).run();
            StepOutcome outcome = outcomeOf(outcomes, next.attempt());
            if (outcome instanceof StepOutcome.TimedOut) {
                now = now.plus(job.timeout());
                run = lifecycle.apply(run, new RunEvent.DeadlineReached(now)).run();
                outcome = new StepOutcome.Exited(137);
            }
            now = now.plusSeconds(1);
            run = lifecycle.apply(run, new RunEvent.AttemptEnded(next.attempt(), outcome, now)).run();
        }
        return run;
    }

    private static StepOutcome outcomeOf(List<StepOutcome> outcomes, int attempt) {
        return outcomes.get(Math.min(attempt, outcomes.size()) - 1);
    }

    /** Plays the task side: answers each launch request with its scenario's outcome until every execution ended. */
    private void answerUntilEnded(StepFunctionsRunEngine engine, StateMachines machines, String job, String queue,
                                  Map<String, List<StepOutcome>> byRun)
            throws Exception {
        MotoAnswers answers = new MotoAnswers(new TaskTokens(sfn), new StepWaits(sfn, machines));
        Map<String, TaskTokens.Delivery> answered = new LinkedHashMap<>();
        Instant giveUp = Instant.now().plus(WITHIN);
        Set<String> running = new HashSet<>(byRun.keySet());
        while (!running.isEmpty()) {
            if (Instant.now().isAfter(giveUp)) {
                throw new AssertionError("runs still running after " + WITHIN + ": " + running + "; answers: " + answered);
            }
            for (Message m : sqs.receiveMessage(r -> r.queueUrl(queue).waitTimeSeconds(1).maxNumberOfMessages(10)).messages()) {
                JsonNode request = JSON.readTree(m.body());
                String runId = request.path("runId").asText();
                int attempt = request.path("attempt").asInt() + 1;
                // Moto reuses a state's token for its retries: an attempt is its run id and number, never its token.
                if (!answered.containsKey(runId + "/" + attempt)) {
                    answered.put(runId + "/" + attempt,
                            answers.answer(job, runId, attempt, request.path("taskToken").asText(),
                                    outcomeOf(byRun.get(runId), attempt), TASK));
                }
                sqs.deleteMessage(r -> r.queueUrl(queue).receiptHandle(m.receiptHandle()));
            }
            running.removeIf(runId -> engine.get(runId).orElseThrow().status().isTerminal());
        }
    }

    /** The ASL with every retry one second apart: moto sleeps a retrier's interval for real. */
    private static String withShortRetries(String asl) throws Exception {
        JsonNode root = JSON.readTree(asl);
        root.path("States").forEach(state -> state.path("Retry").forEach(retrier -> {
            if (retrier.has("IntervalSeconds")) {
                ((ObjectNode) retrier).put("IntervalSeconds", 1).put("BackoffRate", 1.0);
            }
        }));
        return JSON.writeValueAsString(root);
    }
}
