package dev.skiff.orchestrator.aws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.jobs.Architecture;
import dev.skiff.jobs.JobSpec;
import dev.skiff.jobs.Resources;
import dev.skiff.orchestrator.TestSpecs;
import dev.skiff.orchestrator.adapter.sfn.MotoStepFunctions;
import dev.skiff.orchestrator.app.CostReport;
import dev.skiff.orchestrator.app.CostReports;
import dev.skiff.orchestrator.app.JobCost;
import dev.skiff.workflows.Attempt;
import dev.skiff.workflows.Run;
import dev.skiff.workflows.RunIds;
import dev.skiff.workflows.RunStatus;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.model.Task;

/**
 * Cost reports over runs Step Functions kept, whose attempts the Fargate launcher started and priced at the shipped
 * us-east-1 prices: a run on Spot, a run that fell back to on-demand (no Spot capacity, from the proxy), and a run
 * whose Spot task was interrupted and ran again on-demand. Each task ran an hour (as the emulated containers say).
 */
class CostReportsOnAwsModeTest {

    private static final String HOUR = "resources: {cpu: 1024, memory: 2048}";
    private final AwsMode aws = new AwsMode();

    @AfterEach
    void close() {
        aws.close();
    }

    @Test
    void shouldReportSpotFallbackAndInterruptionFromRunsOnStepFunctions() throws Exception {
        // Given a spot-first job run once on Spot, a job whose Spot task was interrupted, then the first job run again
        // while Spot has no capacity
        Instant since = Instant.now().minusSeconds(1);
        JobSpec etl = aws.register(TestSpecs.shell(MotoStepFunctions.jobName("cost"), "true", HOUR,
                "environment: {EMULATED_RAN_SECONDS: '3600'}"));
        JobSpec flaky = aws.register(TestSpecs.shell(MotoStepFunctions.jobName("cost-flaky"), "true", HOUR,
                "environment: {EMULATED_STOP_CODE: SpotInterruption, EMULATED_RAN_SECONDS: '3600'}"));
        Run onSpot = runToEnd(etl, "spot");
        Run interrupted = runInterruptedToEnd(flaky);
        aws.proxy.noSpotCapacity();
        Run fellBack = runToEnd(etl, "fallback");
        Instant until = Instant.now().plusSeconds(1);
        assertThat(onSpot.attempts()).extracting(Attempt::ranOn).containsExactly("spot");
        assertThat(fellBack.attempts()).extracting(Attempt::ranOn).containsExactly("on-demand");
        assertThat(interrupted.attempts()).extracting(Attempt::ranOn).containsExactly("spot", "on-demand");

        // When
        var reports = new CostReports(aws.engine, aws::job, aws.fargate.pricing(), CostReports.DEFAULT_MAX_RUNS);
        CostReport ofEtl = reports.forJob(etl.name(), since, until);
        CostReport ofBoth = reports.forJobs(List.of(etl.name(), flaky.name()), Optional.empty(), since, until);

        // Then the job's report counts its Spot run and its fallback, at what the launcher estimated
        BigDecimal spot = cost(onSpot, 0);
        BigDecimal onDemand = cost(fellBack, 0);
        assertThat(ofEtl.runs()).isEqualTo(2);
        assertThat(ofEtl.attempts()).isEqualTo(2);
        assertThat(ofEtl.fallbacks()).isEqualTo(1);
        assertThat(ofEtl.interruptions()).isZero();
        assertThat(ofEtl.dollars()).isEqualTo(money(spot.add(onDemand)));
        // the Spot hour priced again on-demand: 1 vCPU, 2 GB and 1 GB of storage at us-east-1 x86 list prices
        BigDecimal ratio = new BigDecimal("0.049481").divide(new BigDecimal("0.014922"), MathContext.DECIMAL64);
        assertThat(ofEtl.onDemandDollars()).isEqualTo(money(spot.multiply(ratio).add(onDemand)));
        assertThat(ofEtl.savedDollars()).isPositive();
        assertThat(ofEtl.spotShare()).isEqualByComparingTo("0.5"); // two billed task-hours, one on Spot
        // and over both jobs, the interruption counts, its on-demand relaunch being no fallback
        assertThat(ofBoth.runs()).isEqualTo(3);
        assertThat(ofBoth.attempts()).isEqualTo(4);
        assertThat(ofBoth.fallbacks()).isEqualTo(1);
        assertThat(ofBoth.interruptions()).isEqualTo(1);
        assertThat(ofBoth.jobs()).extracting(JobCost::job).containsExactlyInAnyOrder(etl.name(), flaky.name());
        assertThat(ofBoth.dollars()).isEqualTo(money(spot.add(onDemand).add(cost(interrupted, 0)).add(cost(interrupted, 1))));
        // the shipped us-east-1 prices are what the launcher priced with
        assertThat(aws.fargate.pricing().hourly(new Resources(1024, 2048, 21, Architecture.X86_64), false))
                .hasValueSatisfying(h -> assertThat(h).isEqualByComparingTo("0.049481"));
    }

    private Run runToEnd(JobSpec job, String key) throws Exception {
        String runId = RunIds.idempotencyKey(job.name(), key);
        aws.engine.start(runId, job, "api", Map.of());
        aws.dispatchNext();
        Task task = assertThat(aws.tasksOf(runId, 1)).singleElement().actual();
        aws.publish(aws.awaitStopped(task.taskArn()), 3);
        aws.consumeTaskEvents();
        aws.awaitStatus(runId, RunStatus.SUCCEEDED);
        return aws.engine.get(runId).orElseThrow();
    }

    private Run runInterruptedToEnd(JobSpec job) throws Exception {
        String runId = RunIds.idempotencyKey(job.name(), "interrupted");
        aws.engine.start(runId, job, "api", Map.of());
        aws.dispatchNext();
        Task interrupted = assertThat(aws.tasksOf(runId, 1)).singleElement().actual();
        aws.publish(aws.awaitStopped(interrupted.taskArn()), 3);
        aws.consumeTaskEvents();
        Task relaunched = aws.tasksOf(runId, 1).stream().filter(t -> !t.taskArn().equals(interrupted.taskArn()))
                .findFirst().orElseThrow();
        aws.publish(aws.awaitStopped(relaunched.taskArn()), 3);
        aws.consumeTaskEvents();
        aws.awaitStatus(runId, RunStatus.SUCCEEDED);
        return aws.engine.get(runId).orElseThrow();
    }

    private static BigDecimal cost(Run run, int attempt) {
        return run.attempts().get(attempt).costUsd().orElseThrow();
    }

    private static BigDecimal money(BigDecimal exact) {
        return exact.setScale(4, RoundingMode.HALF_UP);
    }
}
