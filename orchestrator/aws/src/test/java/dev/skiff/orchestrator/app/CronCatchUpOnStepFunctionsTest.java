package dev.skiff.orchestrator.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.jobs.JobSpec;
import dev.skiff.testing.SettableClock;
import dev.skiff.orchestrator.TestSpecs;
import dev.skiff.orchestrator.adapter.sfn.CancelledExecutions;
import dev.skiff.orchestrator.adapter.sfn.MotoStepFunctions;
import dev.skiff.orchestrator.adapter.sfn.StateMachineOptions;
import dev.skiff.orchestrator.adapter.sfn.StateMachines;
import dev.skiff.orchestrator.adapter.sfn.StepFunctionsRunEngine;
import dev.skiff.workflows.RunIds;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The scheduler's catch-up in AWS mode: the last fire is read back from the job's executions on moto's Step Functions,
 * where runs of every trigger of a job share one state machine.
 */
class CronCatchUpOnStepFunctionsTest {

    private final SfnClient sfn = MotoStepFunctions.sfn();
    private final SqsClient sqs = MotoStepFunctions.sqs();
    private final JobCatalog catalog = new JobCatalog();
    private final StateMachines machines = new StateMachines(sfn,
            StateMachineOptions.of(MotoStepFunctions.ROLE_ARN, MotoStepFunctions.dispatchQueue(sqs)));
    private final StepFunctionsRunEngine engine = new StepFunctionsRunEngine(sfn, machines, CancelledExecutions.NONE, catalog::find,
            MotoStepFunctions.taskRecords(), java.time.Clock.systemUTC());

    @AfterEach
    void close() {
        sfn.close();
        sqs.close();
    }

    @Test
    void shouldRunTheMissedFireWhenAnApiRunStartedAfterTheLastCronRun() throws Exception {
        // Given a job firing every minute (misfire last, runs may overlap) whose last cron run is older than an api run
        JobSpec job = TestSpecs.shell(MotoStepFunctions.jobName("catchup"), "true", """
                triggers:
                  schedules:
                    - cron: "* * * * *"
                      misfire: last
                      concurrency: allow""");
        catalog.replace(List.of(new RegisteredJob(job, job.name() + ".yaml")), List.of());
        Instant lastFire = Instant.now().truncatedTo(ChronoUnit.MINUTES);
        engine.start(RunIds.cron(job.name(), lastFire), job, "cron", Map.of());
        Thread.sleep(1100); // execution start dates have a resolution of a second or so in moto
        engine.start(RunIds.idempotencyKey(job.name(), "by-hand"), job, "api", Map.of());

        // When the orchestrator starts again three minutes later and catches up
        Instant restart = lastFire.plus(Duration.ofMinutes(3));
        new CronScheduler(catalog, new RunDispatcher(catalog, engine), engine, new SettableClock(restart)).catchUp(restart);

        // Then the newest missed fire ran (misfire last): the api run did not hide the last cron run
        String missed = RunIds.cron(job.name(), restart);
        assertThat(engine.get(missed)).hasValueSatisfying(run -> assertThat(run.trigger()).isEqualTo("cron"));
    }
}
