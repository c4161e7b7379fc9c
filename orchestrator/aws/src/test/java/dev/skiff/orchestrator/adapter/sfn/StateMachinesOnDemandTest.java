package dev.skiff.orchestrator.adapter.sfn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skiff.jobs.JobSpec;
import dev.skiff.orchestrator.TestSpecs;
import dev.skiff.orchestrator.domain.UpstreamFailedException;
import dev.skiff.orchestrator.port.RunEngine;
import dev.skiff.workflows.RunIds;
import dev.skiff.workflows.WorkflowCompiler;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.CreateStateMachineRequest;
import software.amazon.awssdk.services.sfn.model.SfnException;
import software.amazon.awssdk.services.sfn.model.StartExecutionRequest;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * A job's state machine is made when its run starts, not when the job is registered: startup and catalog changes
 * make no Step Functions call. Against moto's Step Functions with the real SDK.
 */
class StateMachinesOnDemandTest {

    private static final Duration WITHIN = Duration.ofSeconds(20);

    private static SfnClient sfn;
    private static SqsClient sqs;

    private String queue;
    private StateMachineOptions options;
    private CountingSfn counting;
    private StateMachines machines;
    private StepFunctionsRunEngine engine;

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
        options = StateMachineOptions.of(MotoStepFunctions.ROLE_ARN, queue);
        counting = new CountingSfn(sfn);
        machines = new StateMachines(counting.client, options);
        engine = engineOn(counting.client, machines);
    }

    @Test
    void shouldCreateTheStateMachineAtTheFirstStartOfANeverRegisteredJobAndRunIt() throws Exception {
        // Given a job nothing registered, on a replica that knows no state machine
        JobSpec job = TestSpecs.shell(MotoStepFunctions.jobName("first"), "true");
        String runId = RunIds.idempotencyKey(job.name(), "first");

        // When its first run starts
        var started = engine.start(runId, job, "api", Map.of());

        // Then its machine was made with one look (no listing of every machine) and one create, and the run runs on it
        assertThat(started.created()).isTrue();
        assertThat(counting.calls("listStateMachines")).isZero();
        assertThat(counting.calls("describeStateMachine")).isEqualTo(1);
        assertThat(counting.calls("createStateMachine")).isEqualTo(1);
        String machine = machines.arnOf(job.name()).orElseThrow();
        assertThat(sfn.describeStateMachine(r -> r.stateMachineArn(machine)).definition())
                .isEqualTo(WorkflowCompiler.compile(job, options.compile()));
        assertThat(MotoStepFunctions.nextLaunchRequest(sqs, queue, WITHIN).path("runId").asText()).isEqualTo(runId);
    }

    @Test
    void shouldMakeNoStateMachineCallWhenAKnownJobStartsAgain() {
        // Given a job whose run started once on this replica
        JobSpec job = TestSpecs.shell(MotoStepFunctions.jobName("again"), "true");
        engine.start(RunIds.idempotencyKey(job.name(), "one"), job, "api", Map.of());
        counting.reset();

        // When another run of the same spec starts
        engine.start(RunIds.idempotencyKey(job.name(), "two"), job, "api", Map.of());

        // Then StartExecution was the only call
        assertThat(counting.calls("describeStateMachine") + counting.calls("createStateMachine")
                + counting.calls("updateStateMachine") + counting.calls("listStateMachines")).isZero();
        assertThat(counting.calls("startExecution")).isEqualTo(1);
    }

    @Test
    void shouldRunTheNewDefinitionWhenTheSpecChangedBeforeTheNextStart() {
        // Given a job whose run started once
        String name = MotoStepFunctions.jobName("changed");
        engine.start(RunIds.idempotencyKey(name, "before"), TestSpecs.shell(name, "true"), "api", Map.of());

        // When its spec changes (its timeout, so its compiled TimeoutSeconds) and its next run starts
        JobSpec changed = TestSpecs.shell(name, "true", "timeout: 5m");
        engine.start(RunIds.idempotencyKey(name, "after"), changed, "api", Map.of());

        // Then the machine holds the new definition, published as a new version, before the run started on it
        String machine = machines.arnOf(name).orElseThrow();
        assertThat(sfn.describeStateMachine(r -> r.stateMachineArn(machine)).definition())
                .isEqualTo(WorkflowCompiler.compile(changed, options.compile()));
        assertThat(counting.calls("updateStateMachine")).isEqualTo(1);
        assertThat(sfn.listExecutions(r -> r.stateMachineArn(machine)).executions()).hasSize(2);
    }

    @Test
    void shouldRefuseTheRunNamingTheJobAndItsMachineWhenTheMachineCannotBeCreated() {
        // Given a Step Functions that refuses to create state machines (a role without states:CreateStateMachine)
        try (SfnClient refusing = MotoStepFunctions.sfn(failing(CreateStateMachineRequest.class, 400, "AccessDeniedException",
                "User is not authorized to perform: states:CreateStateMachine"))) {
            var refused = engineOn(refusing, new StateMachines(refusing, options));
            JobSpec job = TestSpecs.shell(MotoStepFunctions.jobName("refused"), "true");

            // When its first run starts
            // Then the start fails at once with a message naming the job, its machine and why, and nothing runs;
            // AWS refused, so asking again the same way will not help (the API answers 502, not 503)
            assertThatThrownBy(() -> refused.start(RunIds.idempotencyKey(job.name(), "x"), job, "api", Map.of()))
                    .isInstanceOfSatisfying(UpstreamFailedException.class, e -> assertThat(e.retryable()).isFalse())
                    .hasMessageContaining("job " + job.name())
                    .hasMessageContaining("state machine skiff-" + job.name())
                    .hasMessageContaining("the run was not started")
                    .hasMessageContaining("not authorized to perform: states:CreateStateMachine");
            assertThat(machines.arnOf(job.name())).isEmpty();
        }
    }

    @Test
    void shouldSayTheStartMayBeAskedAgainWhenStepFunctionsThrottledTheMachinesCreation() {
        // Given a Step Functions that throttles CreateStateMachine past the SDK's own retries
        try (SfnClient throttling = MotoStepFunctions.sfn(failing(CreateStateMachineRequest.class, 400, "ThrottlingException",
                "Rate exceeded"))) {
            var throttled = engineOn(throttling, new StateMachines(throttling, options));
            JobSpec job = TestSpecs.shell(MotoStepFunctions.jobName("throttled"), "true");

            // When its first run starts
            // Then the start fails naming the job, and says that the same request later may succeed (the API: 503)
            assertThatThrownBy(() -> throttled.start(RunIds.idempotencyKey(job.name(), "x"), job, "api", Map.of()))
                    .isInstanceOfSatisfying(UpstreamFailedException.class, e -> assertThat(e.retryable()).isTrue())
                    .hasMessageContaining("job " + job.name())
                    .hasMessageContaining("Rate exceeded");
        }
    }

    @Test
    void shouldNameTheJobAndRunWhenStepFunctionsFailsTheStartItself() {
        // Given a Step Functions that makes the machine but fails StartExecution with a server error
        try (SfnClient failingStart = MotoStepFunctions.sfn(failing(StartExecutionRequest.class, 500, "InternalFailure",
                "We encountered an internal error"))) {
            var failed = engineOn(failingStart, new StateMachines(failingStart, options));
            JobSpec job = TestSpecs.shell(MotoStepFunctions.jobName("unstarted"), "true");
            String runId = RunIds.idempotencyKey(job.name(), "x");

            // When its run starts
            // Then the start fails with a message naming the job, the run and AWS's reason, which may pass when asked again
            assertThatThrownBy(() -> failed.start(runId, job, "api", Map.of()))
                    .isInstanceOfSatisfying(UpstreamFailedException.class, e -> assertThat(e.retryable()).isTrue())
                    .hasMessageContaining("job " + job.name())
                    .hasMessageContaining(runId)
                    .hasMessageContaining("internal error");
        }
    }

    /** An interceptor that fails every request of one type as AWS would, past the SDK's retries. */
    private static ExecutionInterceptor failing(Class<?> requestType, int status, String code, String message) {
        return new ExecutionInterceptor() {
            @Override
            public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
                if (requestType.isInstance(context.request())) {
                    throw SfnException.builder().statusCode(status).message(message)
                            .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage(message).build())
                            .build();
                }
            }
        };
    }

    @Test
    void shouldMakeOneStateMachineWhenTwoReplicasStartTheSameNewJobAtOnce() throws Exception {
        // Given two replicas that know no machine, and a new job
        JobSpec job = TestSpecs.shell(MotoStepFunctions.jobName("race"), "true");
        var other = engineOn(sfn, new StateMachines(sfn, options));
        var go = new CountDownLatch(1);

        // When both start a run of it at the same moment
        var first = CompletableFuture.supplyAsync(() -> startAfter(go, engine, RunIds.idempotencyKey(job.name(), "a"), job));
        var second = CompletableFuture.supplyAsync(() -> startAfter(go, other, RunIds.idempotencyKey(job.name(), "b"), job));
        go.countDown();

        // Then both runs started, on one machine with one version
        assertThat(first.get(30, TimeUnit.SECONDS)).isTrue();
        assertThat(second.get(30, TimeUnit.SECONDS)).isTrue();
        String machine = machines.arnOf(job.name()).orElseThrow();
        assertThat(sfn.listStateMachines().stateMachines().stream().filter(m -> m.name().equals("skiff-" + job.name())))
                .hasSize(1);
        assertThat(sfn.listExecutions(r -> r.stateMachineArn(machine)).executions()).hasSize(2);
    }

    @Test
    void shouldListEveryMachineOnceWhenTheRunsOfManyJobsAreLookedForAtStart() {
        // Given a job with a run (started by another replica), two jobs that never ran, and a replica knowing no machine
        JobSpec ran = TestSpecs.shell(MotoStepFunctions.jobName("ran"), "true");
        String runId = RunIds.idempotencyKey(ran.name(), "before");
        engineOn(sfn, new StateMachines(sfn, options)).start(runId, ran, "api", Map.of());

        // When the replica looks for each job's latest cron run and its running runs, as the scheduler's catch-up does at start
        var ranRuns = engine.list(new RunEngine.RunQuery(Optional.of(ran.name()), Set.of(), Optional.empty(), 1));
        var neverRuns = engine.list(new RunEngine.RunQuery(Optional.of(MotoStepFunctions.jobName("never")), Set.of(),
                Optional.of("cron"), 1));
        var otherActive = engine.activeRunIds(MotoStepFunctions.jobName("other"), 10);

        // Then one listing of the machines answered all three: no DescribeStateMachine per job
        assertThat(ranRuns).singleElement().satisfies(run -> assertThat(run.runId()).isEqualTo(runId));
        assertThat(neverRuns).isEmpty();
        assertThat(otherActive).isEmpty();
        assertThat(counting.calls("listStateMachinesPaginator")).isEqualTo(1);
        assertThat(counting.calls("describeStateMachine")).isZero();
    }

    private static boolean startAfter(CountDownLatch go, StepFunctionsRunEngine engine, String runId, JobSpec job) {
        try {
            go.await();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
        return engine.start(runId, job, "api", Map.of()).created();
    }

    private static StepFunctionsRunEngine engineOn(SfnClient client, StateMachines machines) {
        return new StepFunctionsRunEngine(client, machines, CancelledExecutions.NONE, name -> Optional.empty(),
                MotoStepFunctions.taskRecords(), Clock.systemUTC());
    }
}
