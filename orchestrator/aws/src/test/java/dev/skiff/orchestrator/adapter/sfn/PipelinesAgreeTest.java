package dev.skiff.orchestrator.adapter.sfn;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.jobs.JobSpec;
import dev.skiff.jobs.JobSpecs;
import dev.skiff.jobs.StepSpec;
import dev.skiff.jobs.ToleratedFailures;
import dev.skiff.orchestrator.port.PipelineRun;
import dev.skiff.orchestrator.port.TaskReport;
import dev.skiff.testing.Repository;
import dev.skiff.workflows.CompileOptions;
import dev.skiff.workflows.DispatchRequest;
import dev.skiff.workflows.PipelineProgress;
import dev.skiff.workflows.PipelineProgress.StepState;
import dev.skiff.workflows.PipelineProgress.Unit;
import dev.skiff.workflows.PipelineProgress.UnitStatus;
import dev.skiff.workflows.Run;
import dev.skiff.workflows.RunEvent;
import dev.skiff.workflows.RunLifecycle;
import dev.skiff.workflows.RunStatus;
import dev.skiff.workflows.StepJobs;
import dev.skiff.workflows.StepOutcome;
import dev.skiff.workflows.WorkflowCompiler;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.SfnException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * The meaning of a pipeline run ({@link PipelineProgress}, with each unit's retries as {@link RunLifecycle} decides
 * them: what the embedded engine runs) and its compiled ASL on moto's Step Functions must end the same way when fed
 * the same outcomes: the same status, the same error, and — when no step fails fast — the same steps and items run.
 * Every pipeline case of {@code workflows/src/test/resources/cases/pipelines} goes through every scenario.
 *
 * <p>A fan-out failing fast is compared on status, error and the steps that never started: which of its other items
 * had already been dispatched when the failure came depends on timing on both sides.
 */
class PipelinesAgreeTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path CASES = Repository.root().resolve("workflows/src/test/resources/cases/pipelines");
    private static final int ITEMS = 3;
    private static final Duration WITHIN = Duration.ofSeconds(90);
    private static final Duration SETTLE = Duration.ofMillis(300);
    /** Stands for the task token of a launch request moto sent without one: see {@link #parse}. */
    private static final String NO_TOKEN = "moto-left-the-token-out";
    private static final Instant T0 = Instant.parse("2026-12-05T02:00:00Z");
    private static final TaskReport TASK = new TaskReport("arn:aws:ecs:us-east-1:123456789012:task/skiff/differential",
            "spot", Optional.empty(), Optional.empty(), Optional.empty());

    /** How each unit's attempts end, by scenario: the outcome of attempt n of a unit, or empty for success. */
    interface Scenario {
        Optional<StepOutcome> outcome(JobSpec job, Unit unit, int attempt);
    }

    private static final Map<String, Scenario> SCENARIOS = scenarios();

    private final SfnClient sfn = MotoStepFunctions.sfn();
    private final SqsClient sqs = MotoStepFunctions.sqs();
    private final TaskTokens tokens = new TaskTokens(sfn);

    @AfterEach
    void close() {
        sfn.close();
        sqs.close();
    }

    private static Map<String, Scenario> scenarios() {
        var scenarios = new LinkedHashMap<String, Scenario>();
        scenarios.put("all-succeed", (job, unit, attempt) -> Optional.empty());
        scenarios.put("first-step-exits-3", (job, unit, attempt) ->
                unit.step().equals(job.steps().get(0).name()) ? Optional.of(new StepOutcome.Exited(3)) : Optional.empty());
        scenarios.put("last-step-exits-4", (job, unit, attempt) ->
                unit.step().equals(job.steps().get(job.steps().size() - 1).name())
                        ? Optional.of(new StepOutcome.Exited(4)) : Optional.empty());
        scenarios.put("item-1-exits-5", (job, unit, attempt) ->
                unit.item() == 1 ? Optional.of(new StepOutcome.Exited(5)) : Optional.empty());
        scenarios.put("items-0-and-2-exit-6", (job, unit, attempt) ->
                unit.item() == 0 || unit.item() == 2 ? Optional.of(new StepOutcome.Exited(6)) : Optional.empty());
        scenarios.put("every-unit-lost-once", (job, unit, attempt) ->
                attempt == 1 ? Optional.of(new StepOutcome.Lost("the task vanished")) : Optional.empty());
        return scenarios;
    }

    static Stream<String> cases() throws Exception {
        try (var files = Files.list(CASES)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".yaml"))
                    .map(n -> n.substring(0, n.length() - ".yaml".length())).sorted().toList().stream();
        }
    }

    @Test
    void shouldFindEveryPipelineCaseWhenTheCasesAreRead() throws Exception {
        // A missing directory must not pass as zero agreeing cases
        assertThat(cases()).hasSizeGreaterThanOrEqualTo(7);
    }

    @ParameterizedTest
    @MethodSource("cases")
    void shouldEndTheSameWayOnBothEnginesWhenFedTheSameOutcomes(String name) throws Exception {
        JobSpec job = JobSpecs.parse(name + ".yaml", Files.readString(CASES.resolve(name + ".yaml")));
        List<String> disagreements = new ArrayList<>();
        for (var scenario : SCENARIOS.entrySet()) {
            Ending meaning = byMeaning(job, scenario.getValue());
            Ending stepFunctions = onMotoWithReadableHistory(job, scenario.getValue());
            if (!meaning.agreesWith(stepFunctions)) {
                disagreements.add(scenario.getKey() + ": meaning " + meaning + " / Step Functions " + stepFunctions);
            }
        }
        assertThat(disagreements).as("case %s: scenarios that end differently", name).isEmpty();
    }

    /**
     * How a pipeline run ended, in the terms both engines must agree on.
     *
     * @param steps      each step's status as {@code GET /runs/{id}} shows it: for the meaning, from the units it ran;
     *                   for Step Functions, read back from the execution's history as the engine reads it
     * @param failedStep the step that failed the run, as the meaning says ("-" when it succeeded or cannot tell)
     */
    record Ending(boolean succeeded, String error, Set<String> ran, boolean failedFast, Map<String, String> steps,
                  String failedStep) {

        /** {@code this} is the meaning; {@code other} what Step Functions did. */
        boolean agreesWith(Ending other) {
            if (succeeded != other.succeeded || !error.equals(other.error)) {
                return false;
            }
            // A run that succeeded shows the same steps the same way; a failed one shows its failed step failed (which
            // siblings still ran when it failed is timing, and Step Functions shows them cancelled).
            if (succeeded ? !steps.equals(other.steps) : !steps.get(failedStep).equals(other.steps.get(failedStep))) {
                return false;
            }
            if (failedFast || other.failedFast) {
                // Which siblings of a fast failure ran is timing; the steps after it never run on either side.
                return steps(ran).equals(steps(other.ran));
            }
            return ran.equals(other.ran);
        }

        private static Set<String> steps(Set<String> units) {
            var steps = new TreeSet<String>();
            units.forEach(unit -> steps.add(unit.replaceAll("\\[.*", "")));
            return steps;
        }
    }

    /** The run as the embedded engine's rules take it: PipelineProgress picks the units, RunLifecycle their retries. */
    private static Ending byMeaning(JobSpec job, Scenario scenario) {
        var progress = new PipelineProgress(job);
        Map<String, StepState> states = new HashMap<>();
        Set<String> ran = new TreeSet<>();
        boolean failedFast = false;
        while (true) {
            var next = progress.next(states);
            if (next.outcome().isPresent()) {
                var end = next.outcome().get();
                String error = end.succeeded() ? "-" : errorOf(job, end.failedStep().orElseThrow(), states, scenario);
                failedFast |= !end.succeeded() && fansOutWithoutTolerance(job, end.failedStep().get());
                return new Ending(end.succeeded(), error, ran, failedFast, stepStatuses(job, states),
                        end.failedStep().orElse("-"));
            }
            next.resolveItems().forEach(step -> states.put(step, new StepState(Optional.of(ITEMS), Map.of())));
            for (Unit unit : next.start()) {
                ran.add(name(unit));
                Run run = runUnit(job, unit, scenario);
                UnitStatus status = run.status() == RunStatus.SUCCEEDED ? UnitStatus.SUCCEEDED : UnitStatus.FAILED;
                StepState before = states.getOrDefault(unit.step(), StepState.NOT_STARTED);
                var units = new HashMap<>(before.units());
                units.put(unit.item(), status);
                states.put(unit.step(), new StepState(before.itemCount(), units));
            }
        }
    }

    /** Each step's status as the engines' run view works it out from the units the meaning ran. */
    private static Map<String, String> stepStatuses(JobSpec job, Map<String, StepState> states) {
        Map<String, Integer> counts = new HashMap<>();
        List<PipelineRun.UnitRun> units = new ArrayList<>();
        states.forEach((step, state) -> {
            state.itemCount().ifPresent(n -> counts.put(step, n));
            state.units().forEach((item, status) -> units.add(new PipelineRun.UnitRun(step, item, Optional.empty(), status,
                    List.of(), Optional.empty(), Optional.empty())));
        });
        return statuses(new PipelineRun(job, counts, units));
    }

    private static Map<String, String> statuses(PipelineRun run) {
        Map<String, String> statuses = new TreeMap<>();
        run.steps().forEach(step -> statuses.put(step.name(), step.status()
                + step.items().map(i -> " " + i.succeeded() + "/" + i.total()).orElse("")));
        return statuses;
    }

    /** The error the run fails with: the failed unit's own, or the fan-out's tolerance error. */
    private static String errorOf(JobSpec job, String step, Map<String, StepState> states, Scenario scenario) {
        StepSpec spec = job.step(step).orElseThrow();
        if (spec.forEach().isPresent() && !spec.forEach().get().tolerated().equals(ToleratedFailures.NONE)) {
            return "Skiff.TooManyFailedItems";
        }
        int failedItem = states.get(step).units().entrySet().stream().filter(e -> e.getValue() == UnitStatus.FAILED)
                .map(Map.Entry::getKey).findFirst().orElseThrow();
        return runUnit(job, new Unit(step, failedItem), scenario).error().orElseThrow();
    }

    private static boolean fansOutWithoutTolerance(JobSpec job, String step) {
        StepSpec spec = job.step(step).orElseThrow();
        return spec.forEach().isPresent() && spec.forEach().get().tolerated().equals(ToleratedFailures.NONE);
    }

    /** One unit's attempts through the run lifecycle, with the step's own retries and timeout. */
    private static Run runUnit(JobSpec job, Unit unit, Scenario scenario) {
        StepSpec step = job.step(unit.step()).orElseThrow();
        var lifecycle = new RunLifecycle(StepJobs.view(job, step));
        Run run = Run.create("r", job.name(), "api", Map.of(), step.capacity(), T0);
        Instant now = T0;
        while (!run.status().isTerminal()) {
            Run.PendingLaunch pending = run.nextLaunch().orElseThrow();
            now = (pending.notBefore().isAfter(now) ? pending.notBefore() : now).plusSeconds(1);
            run = lifecycle.apply(run, new RunEvent.Launched(pending.attempt(), pending.capacity(), "t", "spot", "", now,
                    now.plus(step.timeout()))).run();
            StepOutcome outcome = scenario.outcome(job, unit, pending.attempt()).orElse(new StepOutcome.Succeeded());
            now = now.plusSeconds(1);
            run = lifecycle.apply(run, new RunEvent.AttemptEnded(pending.attempt(), outcome, now)).run();
        }
        return run;
    }

    /**
     * {@link #onMoto}, run again (at most twice) when moto cannot serialize the execution's history: now and then moto
     * 5.2.5 answers GetExecutionHistory with a 500 for good (a TypeError in its serializer: an event field it declares as
     * an integer holds an object), which says nothing about how the run ended.
     */
    private Ending onMotoWithReadableHistory(JobSpec job, Scenario scenario) throws Exception {
        for (int attempt = 1; ; attempt++) {
            try {
                return onMoto(job, scenario);
            } catch (SfnException e) {
                if (e.statusCode() != 500 || attempt == 3) {
                    throw e;
                }
                System.out.println("moto could not serialize an execution's history (" + e.getMessage()
                        + "); running the scenario on moto again");
            }
        }
    }

    /** The compiled ASL on moto, each dispatch message answered with the scenario's outcome for its unit and attempt. */
    private Ending onMoto(JobSpec job, Scenario scenario) throws Exception {
        String queue = MotoStepFunctions.dispatchQueue(sqs);
        String definition = withShortRetries(WorkflowCompiler.compile(job, CompileOptions.defaults().withDispatchQueueUrl(queue)));
        String machine = sfn.createStateMachine(r -> r.name(MotoStepFunctions.jobName(job.name()))
                .roleArn(MotoStepFunctions.ROLE_ARN).definition(definition)).stateMachineArn();
        String execution = sfn.startExecution(r -> r.stateMachineArn(machine).name("run-" + System.nanoTime())
                .input(ExecutionRuns.input(Map.of()))).executionArn();
        Set<String> ran = new LinkedHashSet<>();
        Instant giveUp = Instant.now().plus(WITHIN);
        while (Instant.now().isBefore(giveUp) && status(execution) == ExecutionStatus.RUNNING) {
            // Failures first: a sibling answered before them could let a later step start that the meaning, which
            // settles a unit's failure before its siblings move on, never starts.
            List<DispatchRequest> batch = receive(queue).stream()
                    .sorted(Comparator.comparing((DispatchRequest r) -> fails(job, scenario, r) ? 0 : 1)).toList();
            for (DispatchRequest request : batch) {
                Thread.sleep(SETTLE.toMillis());
                if (request.kind() == DispatchRequest.Kind.ITEMS) {
                    answerItems(job, request);
                    awaitHeard(request.taskToken(), execution);
                    continue;
                }
                Unit unit = unitOf(request);
                ran.add(name(unit));
                if (request.taskToken().equals(NO_TOKEN)) {
                    continue;
                }
                StepOutcome outcome = scenario.outcome(job, unit, request.attempt()).orElse(new StepOutcome.Succeeded());
                tokens.answer(request.taskToken(), outcome, TASK);
                awaitHeard(request.taskToken(), execution);
            }
        }
        // Launches sent before the run ended started their units too, answered or not.
        for (List<DispatchRequest> late = receive(queue); !late.isEmpty(); late = receive(queue)) {
            late.stream().filter(r -> r.kind() == DispatchRequest.Kind.LAUNCH).forEach(r -> ran.add(name(unitOf(r))));
        }
        DescribeExecutionResponse ended = sfn.describeExecution(r -> r.executionArn(execution));
        assertThat(ended.status()).as("%s ended within %s", job.name(), WITHIN).isNotEqualTo(ExecutionStatus.RUNNING);
        boolean succeeded = ended.status() == ExecutionStatus.SUCCEEDED;
        // Whether the run failed fast is the meaning's to say: the comparison takes it from there.
        Map<String, String> steps = statuses(ExecutionHistory.read(sfn, execution).pipeline(job, List.of(), false));
        return new Ending(succeeded, succeeded ? "-" : ended.error(), new TreeSet<>(ran), false, steps, "-");
    }

    private List<DispatchRequest> receive(String queue) {
        var requests = new ArrayList<DispatchRequest>();
        for (Message m : sqs.receiveMessage(r -> r.queueUrl(queue).waitTimeSeconds(1).maxNumberOfMessages(10)).messages()) {
            sqs.deleteMessage(r -> r.queueUrl(queue).receiptHandle(m.receiptHandle()));
            requests.add(parse(m.body()));
        }
        return requests;
    }

    /**
     * A launch request as moto sent it. Now and then (a failing fan-out, while moto tears its Map iterations down) moto
     * leaves {@code item} out of a launch that has its {@code itemIndex}, or {@code taskToken} out (the iteration's
     * task context is already gone when its parameters are read): the compiled state always sends them, so this is
     * moto's, and the comparison needs only the step and the index. Such a request is read with a null item, or with
     * {@link #NO_TOKEN}, which is never answered: the run it belongs to is ending.
     */
    private static DispatchRequest parse(String body) {
        try {
            return DispatchRequest.parse(body);
        } catch (IllegalArgumentException e) {
            String missing;
            if (e.getMessage().equals(DispatchRequest.ITEM + ": required with " + DispatchRequest.ITEM_INDEX)) {
                missing = DispatchRequest.ITEM;
            } else if (e.getMessage().startsWith(DispatchRequest.TASK_TOKEN + ": required")) {
                missing = DispatchRequest.TASK_TOKEN;
            } else {
                throw e;
            }
            try {
                var request = (ObjectNode) JSON.readTree(body);
                System.out.println("moto left " + missing + " out of a launch request; read without it: " + body);
                if (missing.equals(DispatchRequest.ITEM)) {
                    request.putNull(DispatchRequest.ITEM);
                } else {
                    request.put(DispatchRequest.TASK_TOKEN, NO_TOKEN);
                }
                return parse(request.toString());
            } catch (JsonProcessingException notJson) {
                throw new IllegalStateException(notJson);
            }
        }
    }

    private static Unit unitOf(DispatchRequest request) {
        return new Unit(request.step(),
                request.itemIndex().isPresent() ? request.itemIndex().getAsInt() : PipelineProgress.NO_ITEM);
    }

    private static boolean fails(JobSpec job, Scenario scenario, DispatchRequest request) {
        return request.kind() == DispatchRequest.Kind.LAUNCH
                && scenario.outcome(job, unitOf(request), request.attempt()).isPresent();
    }

    /** Three items, and the failures the step tolerates of them, as the dispatcher answers an items request. */
    private void answerItems(JobSpec job, DispatchRequest request) {
        var tolerated = job.step(request.step()).orElseThrow().forEach().orElseThrow().tolerated();
        int maxFailures = tolerated.isPercent() ? tolerated.percent() * ITEMS / 100 : tolerated.count();
        sfn.sendTaskSuccess(r -> r.taskToken(request.taskToken()).output(
                "{\"items\": [{\"n\": 0}, {\"n\": 1}, {\"n\": 2}], \"maxFailures\": " + maxFailures + "}"));
    }

    /** Moto reads an answer it was not yet listening for only after HeartbeatSeconds: see MotoStepFunctions. */
    private void awaitHeard(String token, String execution) throws InterruptedException {
        MotoStepFunctions.heartbeatUntilAccepted(sfn, token, () -> status(execution) == ExecutionStatus.RUNNING,
                WITHIN);
    }

    private static String name(Unit unit) {
        return unit.item() == PipelineProgress.NO_ITEM ? unit.step() : unit.step() + "[" + unit.item() + "]";
    }

    /** Moto sleeps retry intervals for real; when a retry comes is no part of how a run ends. */
    private static String withShortRetries(String asl) {
        return asl.replaceAll("\"IntervalSeconds\"\\s*:\\s*\\d+", "\"IntervalSeconds\": 1")
                .replaceAll("\"BackoffRate\"\\s*:\\s*[0-9.]+", "\"BackoffRate\": 1.0");
    }

    private ExecutionStatus status(String execution) {
        return sfn.describeExecution(r -> r.executionArn(execution)).status();
    }
}
