package dev.skiff.orchestrator.adapter.sfn;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.jobs.JobSpec;
import dev.skiff.orchestrator.TestSpecs;
import dev.skiff.orchestrator.app.JobCatalog;
import dev.skiff.orchestrator.app.RegisteredJob;
import dev.skiff.workflows.WorkflowCompiler;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/** The background warming of state machines, against moto's Step Functions with the real SDK. */
class StateMachineWarmerTest {

    private static SfnClient sfn;
    private static SqsClient sqs;
    private static StateMachineOptions options;

    @BeforeAll
    static void clients() {
        sfn = MotoStepFunctions.sfn();
        sqs = MotoStepFunctions.sqs();
        options = StateMachineOptions.of(MotoStepFunctions.ROLE_ARN, MotoStepFunctions.dispatchQueue(sqs));
    }

    @AfterAll
    static void close() {
        sfn.close();
        sqs.close();
    }

    @Test
    void shouldWarmEveryJobOfTheCatalogNoFasterThanItsRate() throws Exception {
        // Given a catalog of five jobs none of which has a machine, and a Step Functions client that notes when it is called
        List<JobSpec> jobs = IntStream.range(0, 5).mapToObj(i -> TestSpecs.shell(MotoStepFunctions.jobName("warm" + i), "true")).toList();
        var catalog = catalogOf(jobs);
        var counting = new CountingSfn(sfn);
        var machines = new StateMachines(counting.client, options);

        // When a warmer of 4 jobs a second follows the catalog
        try (var warmer = new StateMachineWarmer(machines, catalog::find, 4)) {
            warmer.follow(catalog);

            // Then every job gets its machine, holding its definition
            until(() -> jobs.stream().allMatch(StateMachineWarmerTest::made));
            for (JobSpec job : jobs) {
                String arn = machines.arnOf(job.name()).orElseThrow();
                assertThat(sfn.describeStateMachine(r -> r.stateMachineArn(arn)).definition())
                        .isEqualTo(WorkflowCompiler.compile(job, options.compile()));
            }
            // ... one job every 250 ms at most: the creates are that far apart
            List<Long> creates = counting.times("createStateMachine");
            assertThat(creates).hasSize(5);
            for (int i = 1; i < creates.size(); i++) {
                assertThat(Duration.ofNanos(creates.get(i) - creates.get(i - 1))).isGreaterThanOrEqualTo(Duration.ofMillis(240));
            }
        }
    }

    @Test
    void shouldUpdateAChangedJobInTheBackgroundAndLeaveARemovedJobsMachine() throws Exception {
        // Given a warmed catalog of two jobs
        JobSpec kept = TestSpecs.shell(MotoStepFunctions.jobName("kept"), "true");
        JobSpec removed = TestSpecs.shell(MotoStepFunctions.jobName("removed"), "true");
        var catalog = catalogOf(List.of(kept, removed));
        var machines = new StateMachines(sfn, options);
        try (var warmer = new StateMachineWarmer(machines, catalog::find, 50)) {
            warmer.follow(catalog);
            until(() -> made(kept) && made(removed));

            // When one job's spec changes and the other is removed
            JobSpec changed = TestSpecs.shell(kept.name(), "true", "timeout: 5m");
            catalog.replace(List.of(new RegisteredJob(changed, kept.name() + ".yaml")), List.of());

            // Then the changed job's machine is updated without a run, and the removed job's machine stays
            until(() -> machines.isCurrent(changed));
            String arn = machines.arnOf(kept.name()).orElseThrow();
            assertThat(sfn.describeStateMachine(r -> r.stateMachineArn(arn)).definition())
                    .isEqualTo(WorkflowCompiler.compile(changed, options.compile()));
            assertThat(new StateMachines(sfn, options).arnOf(removed.name())).isPresent();
        }
    }

    @Test
    void shouldCreateOnlyTheMissingMachinesWhenARestartedReplicaWarms() throws Exception {
        // Given a job whose machine exists (made before a restart) and a job that has none
        JobSpec existing = TestSpecs.shell(MotoStepFunctions.jobName("existing"), "true");
        JobSpec missing = TestSpecs.shell(MotoStepFunctions.jobName("missing"), "true");
        new StateMachines(sfn, options).ensure(existing);
        var catalog = catalogOf(List.of(existing, missing));
        var counting = new CountingSfn(sfn);
        var machines = new StateMachines(counting.client, options);

        // When the restarted replica's warmer follows the catalog
        try (var warmer = new StateMachineWarmer(machines, catalog::find, 50)) {
            warmer.follow(catalog);
            until(() -> made(missing));

            // Then one listing told the machines apart: the missing one was created without a describe first, the
            // existing one not looked at (its next start checks it)
            Thread.sleep(300);
            assertThat(counting.calls("listStateMachinesPaginator")).isEqualTo(1);
            assertThat(counting.calls("createStateMachine")).isEqualTo(1);
            assertThat(counting.calls("describeStateMachine")).isZero();
            assertThat(machines.isCurrent(existing)).isFalse();

            // ... and the created one's first start describes it once, as any machine made by another replica
            machines.ensure(missing);
            machines.ensure(missing);
            assertThat(counting.calls("describeStateMachine")).isEqualTo(1);
            assertThat(counting.calls("createStateMachine")).isEqualTo(1);
        }
    }

    @Test
    void shouldMakeTheMachinesOfJobsDueSoonAndLeaveSchedulesFarOffForLater() throws Exception {
        // Given a job firing every minute, one firing at a set hour five or more hours away, and one started by events,
        // none of which has a machine
        int farHour = (java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC).getHour() + 6) % 24;
        JobSpec soon = TestSpecs.shell(MotoStepFunctions.jobName("soon"), "true",
                "triggers: {schedules: [{cron: \"* * * * *\"}]}");
        JobSpec far = TestSpecs.shell(MotoStepFunctions.jobName("far"), "true",
                "triggers: {schedules: [{cron: \"0 " + farHour + " * * *\"}]}");
        JobSpec onEvent = TestSpecs.shell(MotoStepFunctions.jobName("event"), "true",
                "triggers: {events: [{pattern: {source: [shop]}}]}");
        var catalog = catalogOf(List.of(soon, far, onEvent));
        var counting = new CountingSfn(sfn);
        var machines = new StateMachines(counting.client, options);

        // When a warmer that makes machines 30 minutes before their fires follows the catalog
        try (var warmer = new StateMachineWarmer(machines, catalog::find, 50, 10, Duration.ofMinutes(30),
                java.time.Clock.systemUTC())) {
            warmer.follow(catalog);

            // Then the job firing within the minute and the event job get theirs; the far one is not made yet
            until(() -> made(soon) && made(onEvent));
            Thread.sleep(500);
            assertThat(counting.calls("createStateMachine")).isEqualTo(2);
            assertThat(new StateMachines(sfn, options).arnOf(far.name())).isEmpty();
        }
    }

    @Test
    void shouldMakeTheMachinesOfJobsWithNoScheduleAtTheirSlowerPace() throws Exception {
        // Given three jobs started by events, none of which has a machine
        List<JobSpec> jobs = IntStream.range(0, 3).mapToObj(i -> TestSpecs.shell(MotoStepFunctions.jobName("slow" + i),
                "true", "triggers: {events: [{pattern: {source: [shop]}}]}")).toList();
        var catalog = catalogOf(jobs);
        var counting = new CountingSfn(sfn);
        var machines = new StateMachines(counting.client, options);

        // When a warmer of 50 jobs a second, 4 a second for jobs with no schedule, follows the catalog
        try (var warmer = new StateMachineWarmer(machines, catalog::find, 50, 4, Duration.ofMinutes(30),
                java.time.Clock.systemUTC())) {
            warmer.follow(catalog);

            // Then each gets its machine, 250 ms apart at least
            until(() -> jobs.stream().allMatch(StateMachineWarmerTest::made));
            List<Long> creates = counting.times("createStateMachine");
            assertThat(creates).hasSize(3);
            for (int i = 1; i < creates.size(); i++) {
                assertThat(Duration.ofNanos(creates.get(i) - creates.get(i - 1))).isGreaterThanOrEqualTo(Duration.ofMillis(240));
            }
        }
    }

    /** Whether the job's machine exists, asked through a client of the test's own (no counted call). */
    private static boolean made(JobSpec job) {
        return new StateMachines(sfn, options).arnOf(job.name()).isPresent();
    }

    private static void until(BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("still not so after 20 s").isLessThan(end);
            Thread.sleep(50);
        }
    }

    private static JobCatalog catalogOf(List<JobSpec> jobs) {
        var catalog = new JobCatalog();
        catalog.replace(jobs.stream().map(job -> new RegisteredJob(job, job.name() + ".yaml")).toList(), List.of());
        return catalog;
    }
}
