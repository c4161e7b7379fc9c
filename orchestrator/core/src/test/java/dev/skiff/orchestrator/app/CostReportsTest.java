package dev.skiff.orchestrator.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.jobs.Capacity;
import dev.skiff.jobs.JobSpec;
import dev.skiff.jobs.JobSpecs;
import dev.skiff.orchestrator.TestSpecs;
import dev.skiff.orchestrator.port.PipelineRun;
import dev.skiff.orchestrator.port.RunEngine;
import dev.skiff.orchestrator.port.TaskPricing;
import dev.skiff.orchestrator.port.TaskRequest;
import dev.skiff.workflows.Attempt;
import dev.skiff.workflows.PipelineProgress.UnitStatus;
import dev.skiff.workflows.Run;
import dev.skiff.workflows.RunStatus;
import dev.skiff.workflows.StepOutcome;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The report's arithmetic over attempts as both engines record them: Spot, fallbacks, interruptions, local. */
class CostReportsTest {

    private static final Instant T0 = Instant.parse("2026-11-01T00:00:00Z");
    private static final Instant SINCE = T0;
    private static final Instant UNTIL = T0.plus(Duration.ofDays(30));
    /** Spot costs 30% of on-demand: a Spot dollar is 1/0.3 on-demand dollars. */
    private static final TaskPricing PRICING = (size, spot) -> Optional.of(spot ? new BigDecimal("0.3") : BigDecimal.ONE);

    private final FakeEngine engine = new FakeEngine();
    private final Map<String, JobSpec> specs = new HashMap<>();

    private CostReports reports(int maxRuns) {
        return new CostReports(engine, name -> Optional.ofNullable(specs.get(name)), PRICING, maxRuns);
    }

    @Test
    void shouldPriceSpotOnDemandFallbackAndInterruption() {
        // Given: run 1 ran on Spot (0.30 USD, 1h); run 2 fell back to on-demand (1.00 USD, 1h);
        // run 3's Spot task was interrupted after 1h (0.30 USD), then its relaunch ran on-demand 1h (1.00 USD)
        specs.put("etl", TestSpecs.shell("etl", "true"));
        engine.run("etl", "r1", 1, attempt(1, Capacity.SPOT_FIRST, "spot", 1, "0.30", succeeded()));
        engine.run("etl", "r2", 2, attempt(1, Capacity.SPOT_FIRST, "on-demand", 1, "1.00", succeeded()));
        engine.run("etl", "r3", 3,
                attempt(1, Capacity.SPOT_FIRST, "spot", 1, "0.30", new StepOutcome.SpotInterrupted("reclaimed")),
                attempt(1, Capacity.SPOT_FIRST, "on-demand", 1, "1.00", succeeded()));

        // When
        CostReport report = reports(100).forJob("etl", SINCE, UNTIL);

        // Then
        assertThat(report.job()).isEqualTo("etl");
        assertThat(report.jobs()).isNull();
        assertThat(report.runs()).isEqualTo(3);
        assertThat(report.attempts()).isEqualTo(4);
        assertThat(report.dollars()).isEqualByComparingTo("2.60");
        assertThat(report.onDemandDollars()).isEqualByComparingTo("4.00"); // 1 + 1 + 1 + 1
        assertThat(report.savedDollars()).isEqualByComparingTo("1.40");
        assertThat(report.spotShare()).isEqualByComparingTo("0.5"); // 2 of 4 task-hours
        assertThat(report.fallbacks()).isEqualTo(1); // r2 only: r3's relaunch followed an interruption
        assertThat(report.interruptions()).isEqualTo(1);
        assertThat(report.truncated()).isNull();
    }

    @Test
    void shouldCountLocalAttemptsAsFreeAndNotSpot() {
        // Given: a local process recorded no cost; a stray estimate on a local attempt is not money spent
        specs.put("local", TestSpecs.shell("local", "true"));
        engine.run("local", "r1", 1, attempt(1, Capacity.SPOT_FIRST, "local", 2, null, succeeded()));
        engine.run("local", "r2", 2, attempt(1, Capacity.SPOT_FIRST, "local", 1, "5.00", new StepOutcome.Exited(1)),
                attempt(2, Capacity.SPOT_FIRST, "local", 1, null, succeeded()));

        // When
        CostReport report = reports(100).forJob("local", SINCE, UNTIL);

        // Then
        assertThat(report.attempts()).isEqualTo(3);
        assertThat(report.dollars()).isEqualByComparingTo("0");
        assertThat(report.onDemandDollars()).isEqualByComparingTo("0");
        assertThat(report.spotShare()).isEqualByComparingTo("0");
        assertThat(report.fallbacks()).isZero();
    }

    @Test
    void shouldCountOnlyRunsStartedWithinPeriod() {
        // Given: one run before, one inside, one at the (excluded) end
        specs.put("etl", TestSpecs.shell("etl", "true"));
        engine.runAt("etl", "before", SINCE.minusSeconds(1), attempt(1, Capacity.ON_DEMAND, "on-demand", 1, "1.00", succeeded()));
        engine.runAt("etl", "inside", SINCE, attempt(1, Capacity.ON_DEMAND, "on-demand", 1, "2.00", succeeded()));
        engine.runAt("etl", "at-end", UNTIL, attempt(1, Capacity.ON_DEMAND, "on-demand", 1, "4.00", succeeded()));

        // When
        CostReport report = reports(100).forJob("etl", SINCE, UNTIL);

        // Then: on-demand as asked is no fallback
        assertThat(report.runs()).isEqualTo(1);
        assertThat(report.dollars()).isEqualByComparingTo("2.00");
        assertThat(report.savedDollars()).isEqualByComparingTo("0");
        assertThat(report.fallbacks()).isZero();
    }

    @Test
    void shouldListJobsOfOwnerDearestFirst() {
        // Given
        specs.put("cheap", TestSpecs.shell("cheap", "true"));
        specs.put("dear", TestSpecs.shell("dear", "true"));
        specs.put("other", JobSpecs.parse("other.yaml", """
                name: other
                owner: other-team
                image: example/test:1
                command: ["true"]
                """));
        engine.run("cheap", "c1", 1, attempt(1, Capacity.SPOT_FIRST, "spot", 1, "0.30", succeeded()));
        engine.run("dear", "d1", 2, attempt(1, Capacity.ON_DEMAND, "on-demand", 1, "3.00", succeeded()));
        engine.run("other", "o1", 3, attempt(1, Capacity.ON_DEMAND, "on-demand", 1, "9.00", succeeded()));

        // When
        CostReport report = reports(100).forJobs(List.of("cheap", "dear", "other"), Optional.of("test-team"), SINCE, UNTIL);

        // Then
        assertThat(report.job()).isNull();
        assertThat(report.owner()).isEqualTo("test-team");
        assertThat(report.jobs()).extracting(JobCost::job).containsExactly("dear", "cheap");
        assertThat(report.jobs().get(1).owner()).isEqualTo("test-team");
        assertThat(report.jobs().get(1).savedDollars()).isEqualByComparingTo("0.70");
        assertThat(report.runs()).isEqualTo(2);
        assertThat(report.dollars()).isEqualByComparingTo("3.30");
        assertThat(report.onDemandDollars()).isEqualByComparingTo("4.00");
    }

    @Test
    void shouldSayTruncatedWhenBoundOfRunsIsReached() {
        // Given: three runs in the period, a bound of two
        specs.put("etl", TestSpecs.shell("etl", "true"));
        for (int i = 1; i <= 3; i++) {
            engine.run("etl", "r" + i, i, attempt(1, Capacity.ON_DEMAND, "on-demand", 1, "1.00", succeeded()));
        }

        // When
        CostReport report = reports(2).forJob("etl", SINCE, UNTIL);

        // Then: the two newest are counted
        assertThat(report.runs()).isEqualTo(2);
        assertThat(report.truncated()).isTrue();
    }

    @Test
    void shouldCountEveryUnitOfPipeline() {
        // Given: a pipeline whose two units ran on Spot and on-demand (fallback)
        JobSpec pipeline = JobSpecs.parse("pipe.yaml", """
                name: pipe
                owner: test-team
                image: example/test:1
                steps:
                  - name: a
                    command: ["true"]
                  - name: b
                    dependsOn: [a]
                    command: ["true"]
                """);
        specs.put("pipe", pipeline);
        Run run = new Run("p1", "pipe", "api", Map.of(), RunStatus.SUCCEEDED, T0.plusSeconds(60), Optional.empty(),
                List.of(), Optional.empty(), Optional.empty(), Optional.empty());
        engine.runs.add(run);
        engine.pipelines.put("p1", new PipelineRun(pipeline, Map.of(), List.of(
                unit("a", attempt(1, Capacity.SPOT_FIRST, "spot", 1, "0.60", succeeded())),
                unit("b", attempt(1, Capacity.SPOT_FIRST, "on-demand", 1, "1.00", succeeded())))));

        // When
        CostReport report = reports(100).forJob("pipe", SINCE, UNTIL);

        // Then
        assertThat(report.runs()).isEqualTo(1);
        assertThat(report.attempts()).isEqualTo(2);
        assertThat(report.dollars()).isEqualByComparingTo("1.60");
        assertThat(report.onDemandDollars()).isEqualByComparingTo("3.00");
        assertThat(report.fallbacks()).isEqualTo(1);
        assertThat(report.spotShare()).isEqualByComparingTo("0.5");
    }

    private static PipelineRun.UnitRun unit(String step, Attempt... attempts) {
        return new PipelineRun.UnitRun(step, TaskRequest.NO_ITEM, Optional.empty(), UnitStatus.SUCCEEDED,
                List.of(attempts), Optional.empty(), Optional.empty());
    }

    private static StepOutcome succeeded() {
        return new StepOutcome.Succeeded();
    }

    private static int launches;

    /** An ended attempt that ran {@code hours} hours. */
    private static Attempt attempt(int number, Capacity capacity, String ranOn, int hours, String cost, StepOutcome outcome) {
        Instant start = T0.plus(Duration.ofDays(1)).plusSeconds(launches++);
        return new Attempt(number, capacity, "task-" + launches, ranOn, "", start, start.plus(Duration.ofDays(1)),
                Optional.empty(), Optional.of(outcome), Optional.of(start.plus(Duration.ofHours(hours))),
                Optional.ofNullable(cost).map(BigDecimal::new));
    }

    /** Runs kept in memory, as an engine lists them: newest first, with their attempts. */
    private static final class FakeEngine implements RunEngine {
        final List<Run> runs = new ArrayList<>();
        final Map<String, PipelineRun> pipelines = new HashMap<>();

        void run(String job, String runId, int hour, Attempt... attempts) {
            runAt(job, runId, T0.plus(Duration.ofHours(hour)), attempts);
        }

        void runAt(String job, String runId, Instant created, Attempt... attempts) {
            runs.add(new Run(runId, job, "api", Map.of(), RunStatus.SUCCEEDED, created, Optional.empty(),
                    List.of(attempts), Optional.empty(), Optional.empty(), Optional.empty()));
        }

        @Override
        public List<Run> list(RunQuery query) {
            return runs.stream().filter(r -> query.job().map(r.job()::equals).orElse(true))
                    .sorted(Comparator.comparing(Run::createdAt).reversed()).limit(query.limit()).toList();
        }

        @Override
        public Optional<PipelineRun> pipeline(String runId) {
            return Optional.ofNullable(pipelines.get(runId));
        }

        @Override
        public Optional<Run> get(String runId) {
            return runs.stream().filter(r -> r.runId().equals(runId)).findFirst();
        }

        @Override
        public Started start(String runId, JobSpec job, String trigger, Map<String, String> parameters) {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean exists(String runId) {
            return get(runId).isPresent();
        }

        @Override
        public List<String> activeRunIds(String job, int limit) {
            return List.of();
        }

        @Override
        public Run cancel(String runId, String reason) {
            throw new UnsupportedOperationException();
        }
    }
}
