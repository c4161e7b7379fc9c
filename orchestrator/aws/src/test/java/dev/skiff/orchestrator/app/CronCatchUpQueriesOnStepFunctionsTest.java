package dev.skiff.orchestrator.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.jobs.JobSpec;
import dev.skiff.orchestrator.TestSpecs;
import dev.skiff.orchestrator.adapter.sfn.CancelledExecutions;
import dev.skiff.orchestrator.adapter.sfn.MotoStepFunctions;
import dev.skiff.orchestrator.adapter.sfn.StateMachineOptions;
import dev.skiff.orchestrator.adapter.sfn.StateMachines;
import dev.skiff.orchestrator.adapter.sfn.StepFunctionsRunEngine;
import dev.skiff.workflows.RunIds;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeStateMachineRequest;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * What the scheduler's catch-up asks of Step Functions: at a start from the S3 registry's snapshot it waits for the
 * registry's listing, long after the state machine warmer listed the machines, and must still not describe each job
 * that has no machine (60,000 calls at 100,000 specs).
 */
class CronCatchUpQueriesOnStepFunctionsTest {

    /** Counts DescribeStateMachine calls. */
    private static final class Describes implements ExecutionInterceptor {
        final AtomicInteger count = new AtomicInteger();

        @Override
        public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
            if (context.request() instanceof DescribeStateMachineRequest) {
                count.incrementAndGet();
            }
        }
    }

    private final Describes describes = new Describes();
    private final SfnClient sfn = MotoStepFunctions.sfn(describes);
    private final SqsClient sqs = MotoStepFunctions.sqs();
    private final JobCatalog catalog = new JobCatalog();
    private final StateMachines machines = new StateMachines(sfn,
            StateMachineOptions.of(MotoStepFunctions.ROLE_ARN, MotoStepFunctions.dispatchQueue(sqs)));
    private final StepFunctionsRunEngine engine = new StepFunctionsRunEngine(sfn, machines, CancelledExecutions.NONE,
            catalog::find, MotoStepFunctions.taskRecords(), java.time.Clock.systemUTC());

    @AfterEach
    void close() {
        sfn.close();
        sqs.close();
    }

    @Test
    void shouldAnswerTheCatchUpFromOneListingOfTheMachinesEvenWhenTheLastListingIsOld() throws Exception {
        // Given a scheduled job that ran by cron, and three that never ran (no machine), and a machine listing older
        // than the machines' listing is trusted for
        JobSpec ran = TestSpecs.shell(MotoStepFunctions.jobName("ran"), "true", """
                triggers:
                  schedules:
                    - cron: "* * * * *"
                """);
        Instant lastFire = Instant.now().truncatedTo(ChronoUnit.MINUTES);
        engine.start(RunIds.cron(ran.name(), lastFire), ran, "cron", Map.of());
        List<String> never = List.of(MotoStepFunctions.jobName("never"), MotoStepFunctions.jobName("never"),
                MotoStepFunctions.jobName("never"));
        machines.listedArnOf(never.get(0)); // the warmer's listing at start
        Thread.sleep(31_000); // StateMachines.LISTING_FRESH: 30 s
        describes.count.set(0);

        // When the catch-up asks for the newest cron runs
        var jobs = new java.util.ArrayList<>(never);
        jobs.add(ran.name());
        Map<String, Instant> newest = engine.newestRuns(jobs, "cron");

        // Then it found the run, and described no job
        assertThat(newest).containsOnlyKeys(ran.name());
        assertThat(describes.count).hasValue(0);
    }
}
