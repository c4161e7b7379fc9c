package dev.skiff.orchestrator.adapter.sfn;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.jobs.JobSpec;
import dev.skiff.testing.SettableClock;
import dev.skiff.orchestrator.TestSpecs;
import dev.skiff.orchestrator.app.CronScheduler;
import dev.skiff.orchestrator.app.JobCatalog;
import dev.skiff.orchestrator.app.RegisteredJob;
import dev.skiff.orchestrator.app.RunDispatcher;
import dev.skiff.orchestrator.port.RunEngine.RunQuery;
import dev.skiff.workflows.Run;
import dev.skiff.workflows.RunIds;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * What a cron fire costs in Step Functions calls (counted on moto): GetExecutionHistory has a refill of 5 a second
 * per account, so a fire must never read a history, not even when the run is there already.
 */
class CronFireCostOnStepFunctionsTest {

    private final SfnClient sfn = MotoStepFunctions.sfn();
    private final SqsClient sqs = MotoStepFunctions.sqs();
    private final CountingSfn counting = new CountingSfn(sfn);
    private final JobCatalog catalog = new JobCatalog();
    private final StateMachines machines = new StateMachines(counting.client,
            StateMachineOptions.of(MotoStepFunctions.ROLE_ARN, MotoStepFunctions.dispatchQueue(sqs)));
    private final StepFunctionsRunEngine engine = new StepFunctionsRunEngine(counting.client, machines,
            CancelledExecutions.NONE, catalog::find, MotoStepFunctions.taskRecords(), java.time.Clock.systemUTC());

    @AfterEach
    void close() {
        sfn.close();
        sqs.close();
    }

    @Test
    void shouldDescribeOnceAndListOnePageAndNeverReadAHistoryWhenFiring() {
        // Given a job firing every minute that forbids overlapping runs, and two replicas scheduling it
        JobSpec job = TestSpecs.shell(MotoStepFunctions.jobName("cost"), "true", """
                triggers:
                  schedules:
                    - cron: "* * * * *"
                      misfire: none
                      concurrency: forbid""");
        catalog.replace(List.of(new RegisteredJob(job, job.name() + ".yaml")), List.of());
        machines.register(job); // as registering the job does in AWS mode
        Instant fire = Instant.now().truncatedTo(ChronoUnit.MINUTES);
        var clock = new SettableClock(fire.minusSeconds(30));
        var replicaA = new CronScheduler(catalog, new RunDispatcher(catalog, engine), engine, clock);
        var replicaB = new CronScheduler(catalog, new RunDispatcher(catalog, engine), engine, clock);
        replicaA.catchUp(clock.instant());
        replicaB.catchUp(clock.instant());
        counting.reset();

        // When replica A fires the minute, replica B fires the same minute after it, and A fires the next minute
        // while the first run still waits for its task (so forbid skips it)
        clock.set(fire);
        replicaA.tick(fire);
        replicaB.tick(fire);
        clock.set(fire.plusSeconds(60));
        replicaA.tick(fire.plusSeconds(60));

        // Then one run started; each fire described one execution and listed at most one page; no history was read
        List<Run> runs = engine.list(new RunQuery(Optional.of(job.name()), Set.of(), Optional.empty(), 10));
        assertThat(runs).extracting(Run::runId).containsExactly(RunIds.cron(job.name(), fire));
        // (the SDK's paginator is a default method of the client: it reaches the proxy under its own name)
        assertThat(counting.calls("getExecutionHistory") + counting.calls("getExecutionHistoryPaginator")).isZero();
        assertThat(counting.calls("startExecution")).isEqualTo(1);
        assertThat(counting.calls("describeExecution")).isEqualTo(3);
        assertThat(counting.calls("listExecutions")).isEqualTo(2 + 1); // the two fires that looked, and the list above
    }
}
