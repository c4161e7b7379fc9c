package dev.skiff.orchestrator.app;

import dev.skiff.orchestrator.domain.NotFoundException;
import dev.skiff.orchestrator.domain.UpstreamFailedException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.jobs.JobSpec;
import dev.skiff.testing.SettableClock;
import dev.skiff.orchestrator.TestSpecs;
import dev.skiff.orchestrator.adapter.embedded.EmbeddedRunEngine;
import dev.skiff.orchestrator.adapter.embedded.H2RunStore;
import dev.skiff.orchestrator.port.RecordingTaskLauncher;
import dev.skiff.orchestrator.port.RunEngine;
import dev.skiff.orchestrator.port.RunListener;
import dev.skiff.workflows.Run;
import dev.skiff.workflows.RunStatus;
import dev.skiff.workflows.StepOutcome;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The cron scheduler over the real embedded engine (in-memory H2) with a recording launcher: no processes, no sleeps. */
class CronSchedulerTest {

    private static final Instant T10 = Instant.parse("2026-03-10T10:00:00Z");
    private static final Instant T11 = Instant.parse("2026-03-10T11:00:00Z");
    private static final Instant T12 = Instant.parse("2026-03-10T12:00:00Z");

    private final SettableClock clock = new SettableClock(Instant.parse("2026-03-10T09:59:30Z"));
    private final RecordingTaskLauncher launcher = new RecordingTaskLauncher(clock);
    private final JobCatalog catalog = new JobCatalog();
    private H2RunStore store;
    private EmbeddedRunEngine engine;
    private RunDispatcher dispatcher;

    @BeforeEach
    void createEngine() {
        store = H2RunStore.inMemory("cron-" + UUID.randomUUID());
        engine = new EmbeddedRunEngine(store, launcher, new RunListener() { }, clock, 8, Runnable::run);
        dispatcher = new RunDispatcher(catalog, engine);
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    /** An hourly job (at minute 0, read in Europe/Berlin) with the given policies; an attempt may run 3 hours. */
    private static JobSpec hourly(String name, String misfire, int maxMisfires, String concurrency) {
        return TestSpecs.shell(name, "true", """
                timeout: 3h
                triggers:
                  schedules:
                    - cron: "0 * * * *"
                      timezone: Europe/Berlin
                      misfire: %s
                      maxMisfires: %d
                      concurrency: %s""".formatted(misfire, maxMisfires, concurrency));
    }

    private static JobSpec hourly(String name, String concurrency) {
        return hourly(name, "last", 10, concurrency);
    }

    private void register(JobSpec... jobs) {
        catalog.replace(List.of(jobs).stream().map(j -> new RegisteredJob(j, j.name() + ".yaml")).toList(), List.of());
    }

    /**
     * A scheduler started as the runtime starts one: it catches up at the clock's instant, which also queues the next
     * fires; it keeps how far it fired beside the runs, as the service's does.
     */
    private CronScheduler scheduler() {
        return started(new CronScheduler(catalog, dispatcher, engine, clock, new InMemoryPausedSchedules(), store.watermarks()));
    }

    private CronScheduler started(CronScheduler scheduler) {
        scheduler.catchUp(clock.instant());
        return scheduler;
    }

    /** Moves the clock and ticks the scheduler, then the engine (which launches what is due), at that instant. */
    private void tickAt(Instant now, CronScheduler scheduler) {
        clock.set(now);
        scheduler.tick(now);
        engine.tick(now);
    }

    private List<Run> runs(String job) {
        return engine.list(new RunEngine.RunQuery(Optional.of(job), Set.of(), Optional.empty(), 100));
    }

    private List<String> runIds(String job) {
        return runs(job).stream().map(Run::runId).sorted().toList();
    }

    private RunStatus status(String runId) {
        return engine.get(runId).orElseThrow().status();
    }

    @Test
    void shouldCreateOneRunNamedByTheUtcFireTimeWhenADailyBerlinScheduleIsDue() {
        // Given a job firing daily at 02:30 Berlin time, which is 01:30 UTC in winter
        clock.set(Instant.parse("2026-01-15T00:00:00Z"));
        register(TestSpecs.shell("nightly", "true", """
                triggers:
                  schedules:
                    - cron: "30 2 * * *"
                      timezone: Europe/Berlin"""));
        CronScheduler scheduler = scheduler();

        // When the scheduler ticks one second before, then at the fire time
        scheduler.tick(Instant.parse("2026-01-15T01:29:59Z"));
        List<String> beforeFire = runIds("nightly");
        clock.set(Instant.parse("2026-01-15T01:30:00Z"));
        scheduler.tick(clock.instant());

        // Then nothing ran early, and exactly one cron run exists, named by the fire time in UTC
        assertThat(beforeFire).isEmpty();
        assertThat(runs("nightly")).singleElement().satisfies(run -> {
            assertThat(run.runId()).isEqualTo("nightly-c-20260115T013000");
            assertThat(run.trigger()).isEqualTo("cron");
            assertThat(run.status()).isEqualTo(RunStatus.PENDING);
        });
        assertThat(scheduler.nextWakeUp()).contains(Instant.parse("2026-01-16T01:30:00Z"));
    }

    @Test
    void shouldStartOneRunWhenTheSchedulerTicksTwiceAtTheSameInstant() {
        // Given an hourly job
        register(hourly("twice", "allow"));
        CronScheduler scheduler = scheduler();

        // When the scheduler ticks twice at 10:00
        tickAt(T10, scheduler);
        tickAt(T10, scheduler);

        // Then one run exists, and the next fire waits for 11:00
        assertThat(runIds("twice")).containsExactly("twice-c-20260310T100000");
        assertThat(scheduler.nextWakeUp()).contains(T11);
    }

    @Test
    void shouldStartOneRunWhenTwoReplicasFireTheSameSchedule() {
        // Given two schedulers ("replicas") over one engine, both knowing an hourly job
        register(hourly("shared", "allow"));
        CronScheduler replicaA = scheduler();
        CronScheduler replicaB = scheduler();

        // When both fire 10:00
        clock.set(T10);
        replicaA.tick(T10);
        replicaB.tick(T10);

        // Then one run exists
        assertThat(runIds("shared")).containsExactly("shared-c-20260310T100000");
    }

    @Test
    void shouldSkipTheFireWhenARunIsActiveAndConcurrencyIsForbid() {
        // Given an hourly job with concurrency forbid whose 10:00 run is still running at 11:00
        register(hourly("single", "forbid"));
        CronScheduler scheduler = scheduler();
        tickAt(T10, scheduler);
        assertThat(status("single-c-20260310T100000")).isEqualTo(RunStatus.RUNNING);

        // When 11:00 comes, and then 12:00 after the 10:00 run ended
        tickAt(T11, scheduler);
        List<String> at11 = runIds("single");
        launcher.finish("single-c-20260310T100000", 1, new StepOutcome.Succeeded());
        tickAt(T12, scheduler);

        // Then 11:00 started nothing, and 12:00 started its run
        assertThat(at11).containsExactly("single-c-20260310T100000");
        assertThat(runIds("single")).containsExactly("single-c-20260310T100000", "single-c-20260310T120000");
    }

    @Test
    void shouldCancelTheActiveRunAndStartTheNewOneWhenConcurrencyIsReplace() {
        // Given an hourly job with concurrency replace whose 10:00 run is still running at 11:00
        register(hourly("fresh", "replace"));
        CronScheduler scheduler = scheduler();
        tickAt(T10, scheduler);

        // When 11:00 fires, and the stopped task of the 10:00 run ends
        tickAt(T11, scheduler);
        List<RecordingTaskLauncher.Stop> stops = launcher.stops();
        launcher.finish("fresh-c-20260310T100000", 1, new StepOutcome.Cancelled("stopped"));

        // Then the old run was stopped and ended CANCELLED, naming the new run; the new one runs
        assertThat(stops).singleElement().satisfies(stop -> {
            assertThat(stop.taskId()).isEqualTo("fresh-c-20260310T100000/1");
            assertThat(stop.reason()).contains("fresh-c-20260310T110000");
        });
        Run old = engine.get("fresh-c-20260310T100000").orElseThrow();
        assertThat(old.status()).isEqualTo(RunStatus.CANCELLED);
        assertThat(old.cause()).hasValueSatisfying(cause -> assertThat(cause).contains("replaced by the scheduled run"));
        assertThat(status("fresh-c-20260310T110000")).isEqualTo(RunStatus.RUNNING);
    }

    @Test
    void shouldStartTheNewRunWhenConcurrencyIsReplaceAndTheActiveRunEndsBeforeItIsCancelled() {
        // Given a replace job whose 10:00 run is running, and which ends just after the scheduler saw it active
        register(hourly("racy", "replace"));
        var racing = new InterleavingRunEngine(engine);
        var scheduler = started(new CronScheduler(catalog, new RunDispatcher(catalog, racing), racing, clock));
        tickAt(T10, scheduler);
        racing.afterActiveRunIds = () -> launcher.finish("racy-c-20260310T100000", 1, new StepOutcome.Succeeded());

        // When 11:00 fires
        tickAt(T11, scheduler);

        // Then the 10:00 run kept its own ending, and the 11:00 run started anyway
        assertThat(status("racy-c-20260310T100000")).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(runIds("racy")).containsExactly("racy-c-20260310T100000", "racy-c-20260310T110000");
    }

    @Test
    void shouldNotCancelTheRunOfTheSameFireWhenAnotherReplicaStartedItMeanwhile() {
        // Given a replace job whose 10:00 run is running, and two replicas; replica A fires 11:00
        // between replica B's check for the run and B's look at the active runs
        register(hourly("pair", "replace"));
        CronScheduler replicaA = scheduler();
        var racing = new InterleavingRunEngine(engine);
        var replicaB = new CronScheduler(catalog, new RunDispatcher(catalog, racing), racing, clock);
        tickAt(T10, replicaA);
        replicaB.reschedule(T10);
        racing.afterExists = () -> replicaA.tick(T11);

        // When replica B fires 11:00
        clock.set(T11);
        replicaB.tick(T11);

        // Then the 11:00 run A started is not cancelled by B
        assertThat(runIds("pair")).containsExactly("pair-c-20260310T100000", "pair-c-20260310T110000");
        assertThat(status("pair-c-20260310T110000")).isEqualTo(RunStatus.PENDING);
    }

    @Test
    void shouldStartTheFireByTheSpecItWasDecidedWithWhenAReloadRemovesTheJobMeanwhile() {
        // Given an hourly job, and a reload that removes it right after the 10:00 fire checked for its run
        register(hourly("going", "allow"));
        var racing = new InterleavingRunEngine(engine);
        var scheduler = started(new CronScheduler(catalog, new RunDispatcher(catalog, racing), racing, clock));
        racing.afterExists = this::register;

        // When 10:00 fires
        tickAt(T10, scheduler);

        // Then the fire started its run by the spec it held: the job was not looked up a second time
        assertThat(runIds("going")).containsExactly("going-c-20260310T100000");
    }

    @Test
    void shouldStartASecondRunWhenARunIsActiveAndConcurrencyIsAllow() {
        // Given an hourly job with concurrency allow whose 10:00 run is still running
        register(hourly("many", "allow"));
        CronScheduler scheduler = scheduler();
        tickAt(T10, scheduler);

        // When 11:00 fires
        tickAt(T11, scheduler);

        // Then both runs are running, and nothing was stopped
        assertThat(runs("many")).extracting(Run::status).containsOnly(RunStatus.RUNNING).hasSize(2);
        assertThat(launcher.stops()).isEmpty();
    }

    /** Fires 08:00 as a running orchestrator would, then "restarts" at 11:30 with a new scheduler and catches up. */
    private CronScheduler afterThreeHourOutage(JobSpec job) {
        clock.set(Instant.parse("2026-03-10T07:59:30Z"));
        register(job);
        tickAt(Instant.parse("2026-03-10T08:00:00Z"), scheduler());
        launcher.finish(job.name() + "-c-20260310T080000", 1, new StepOutcome.Succeeded());
        clock.set(Instant.parse("2026-03-10T11:30:00Z"));
        return scheduler();
    }

    @Test
    void shouldRunEveryMissedFireWhenMisfireIsAll() {
        // Given an hourly job with misfire all, last fired at 08:00, and down until 11:30
        // When the restarted scheduler catches up
        CronScheduler scheduler = afterThreeHourOutage(hourly("every", "all", 10, "allow"));

        // Then 09:00, 10:00 and 11:00 run, and the next fire is 12:00
        assertThat(runIds("every")).containsExactly("every-c-20260310T080000", "every-c-20260310T090000",
                "every-c-20260310T100000", "every-c-20260310T110000");
        assertThat(scheduler.nextWakeUp()).contains(T12);
    }

    @Test
    void shouldRunOnlyTheNewestMaxMisfiresWhenMisfireIsAllAndMoreWereMissed() {
        // Given an hourly job with misfire all and maxMisfires 2, last fired at 08:00, down until 11:30
        // When the restarted scheduler catches up
        afterThreeHourOutage(hourly("bounded", "all", 2, "allow"));

        // Then only the two newest missed fires run
        assertThat(runIds("bounded")).containsExactly("bounded-c-20260310T080000", "bounded-c-20260310T100000",
                "bounded-c-20260310T110000");
    }

    @Test
    void shouldRunOnlyTheLatestMissedFireWhenMisfireIsLast() {
        // Given an hourly job with misfire last, last fired at 08:00, down until 11:30
        // When the restarted scheduler catches up
        CronScheduler scheduler = afterThreeHourOutage(hourly("latest", "last", 10, "forbid"));

        // Then only 11:00 runs
        assertThat(runIds("latest")).containsExactly("latest-c-20260310T080000", "latest-c-20260310T110000");
        assertThat(scheduler.nextWakeUp()).contains(T12);
    }

    @Test
    void shouldRunNoMissedFireWhenMisfireIsNone() {
        // Given an hourly job with misfire none, last fired at 08:00, down until 11:30
        // When the restarted scheduler catches up
        CronScheduler scheduler = afterThreeHourOutage(hourly("skip", "none", 10, "forbid"));

        // Then nothing more runs, and 12:00 is the next fire
        assertThat(runIds("skip")).containsExactly("skip-c-20260310T080000");
        assertThat(scheduler.nextWakeUp()).contains(T12);
    }

    @Test
    void shouldNotBackfillWhenTheScheduleHasNoEarlierCronRun() {
        // Given a new hourly job with misfire all that never fired
        register(hourly("brand-new", "all", 10, "allow"));
        clock.set(Instant.parse("2026-03-10T11:30:00Z"));
        CronScheduler scheduler = new CronScheduler(catalog, dispatcher, engine, clock);

        // When the scheduler catches up
        scheduler.catchUp(clock.instant());

        // Then no run starts, and 12:00 is the first fire
        assertThat(runIds("brand-new")).isEmpty();
        assertThat(scheduler.nextWakeUp()).contains(T12);
    }

    @Test
    void shouldStopFiringAJobWhenTheCatalogDropsIt() {
        // Given two hourly jobs, both scheduled for 10:00
        register(hourly("kept", "allow"), hourly("dropped", "allow"));
        CronScheduler scheduler = scheduler();

        // When the catalog loses one of them before 10:00
        register(hourly("kept", "allow"));
        tickAt(T10, scheduler);

        // Then only the remaining job fires
        assertThat(runIds("kept")).containsExactly("kept-c-20260310T100000");
        assertThat(runIds("dropped")).isEmpty();
    }

    @Test
    void shouldFollowTheNewCronWhenTheCatalogChangesASchedule() {
        // Given an hourly job, next due at 10:00
        register(hourly("moving", "allow"));
        CronScheduler scheduler = scheduler();
        Optional<Instant> before = scheduler.nextWakeUp();

        // When its spec changes to every 15 minutes
        register(TestSpecs.shell("moving", "true", """
                triggers:
                  schedules:
                    - cron: "*/15 * * * *"
                      concurrency: allow"""));

        // Then the next fire follows the new cron at once
        assertThat(before).contains(T10);
        assertThat(scheduler.nextWakeUp()).contains(T10);
        tickAt(T10, scheduler);
        assertThat(scheduler.nextWakeUp()).contains(Instant.parse("2026-03-10T10:15:00Z"));
    }

    @Test
    void shouldStillFireADueFireWhenTheCatalogChangesBeforeTheTick() {
        // Given an hourly job due at 10:00, and a tick that comes a little late, at 10:00:01
        register(hourly("due", "allow"), hourly("other", "allow"));
        CronScheduler scheduler = scheduler();
        scheduler.tick(Instant.parse("2026-03-10T09:59:59Z"));

        // When another job's spec reloads at 10:00:00.5, before that tick
        clock.set(Instant.parse("2026-03-10T10:00:00.500Z"));
        register(hourly("due", "allow"), hourly("other", "forbid"));
        tickAt(Instant.parse("2026-03-10T10:00:01Z"), scheduler);

        // Then the 10:00 fires still happen
        assertThat(runIds("due")).containsExactly("due-c-20260310T100000");
        assertThat(runIds("other")).containsExactly("other-c-20260310T100000");
    }

    /** Delegates to an engine, running a test's action once right after the next exists or activeRunIds: a race, made deterministic. */
    private static final class InterleavingRunEngine implements RunEngine {

        private final RunEngine delegate;
        Runnable afterExists;
        Runnable afterActiveRunIds;

        InterleavingRunEngine(RunEngine delegate) {
            this.delegate = delegate;
        }

        @Override
        public Started start(String runId, JobSpec job, String trigger, Map<String, String> parameters) {
            return delegate.start(runId, job, trigger, parameters);
        }

        @Override
        public Optional<Run> get(String runId) {
            return delegate.get(runId);
        }

        @Override
        public boolean exists(String runId) {
            boolean exists = delegate.exists(runId);
            Runnable action = afterExists;
            afterExists = null;
            runOnce(action);
            return exists;
        }

        @Override
        public List<Run> list(RunQuery query) {
            return delegate.list(query);
        }

        @Override
        public List<String> activeRunIds(String job, int limit) {
            List<String> ids = delegate.activeRunIds(job, limit);
            Runnable action = afterActiveRunIds;
            afterActiveRunIds = null;
            runOnce(action);
            return ids;
        }

        @Override
        public Run cancel(String runId, String reason) {
            return delegate.cancel(runId, reason);
        }

        private static void runOnce(Runnable action) {
            if (action != null) {
                action.run();
            }
        }
    }

    @Test
    void shouldSkipFiresWhilePausedAndFireAgainOnceResumed() {
        // Given an hourly job whose schedule is paused
        clock.set(Instant.parse("2026-03-01T09:30:00Z"));
        register(hourly("paused", "allow"));
        CronScheduler scheduler = scheduler();
        assertThat(scheduler.pause("paused", 0)).isTrue();
        assertThat(scheduler.pause("paused", 0)).isFalse();

        // When its 10:00 fire comes, then it is resumed before 11:00
        tickAt(Instant.parse("2026-03-01T10:00:00Z"), scheduler);
        assertThat(scheduler.resume("paused", 0)).isTrue();
        tickAt(Instant.parse("2026-03-01T11:00:00Z"), scheduler);

        // Then the paused fire made no run and was not made up later; the next one ran
        assertThat(runIds("paused")).containsExactly("paused-c-20260301T110000");
    }

    @Test
    void shouldNotCatchUpFiresOfAPausedScheduleAfterAnOutage() {
        clock.set(Instant.parse("2026-03-01T09:30:00Z"));
        register(hourly("quiet", "all", 10, "allow"));
        CronScheduler before = scheduler();
        tickAt(Instant.parse("2026-03-01T10:00:00Z"), before);
        before.pause("quiet", 0);

        clock.set(Instant.parse("2026-03-01T13:30:00Z"));
        var paused = new InMemoryPausedSchedules();
        paused.pause("quiet", catalog.find("quiet").orElseThrow().triggers().schedules().get(0));
        started(new CronScheduler(catalog, dispatcher, engine, clock, paused, store.watermarks()));

        assertThat(runIds("quiet")).containsExactly("quiet-c-20260301T100000");
    }

    @Test
    void shouldNameTheScheduleWhenPausingOneThatDoesNotExist() {
        register(hourly("one", "allow"));
        CronScheduler scheduler = scheduler();

        assertThatThrownBy(() -> scheduler.pause("one", 3)).isInstanceOf(NotFoundException.class)
                .hasMessage("job one has no schedule 3 (it has 1 schedule, index 0)");
        assertThatThrownBy(() -> scheduler.pause("none", 0)).isInstanceOf(NotFoundException.class);
    }

    @Test
    void shouldApplyTheMisfirePolicyWhenTheMachineSleptThroughFires() {
        // Given hourly jobs with each misfire policy, whose 10:00 fire ran (ticked 30 s late, which is no misfire)
        register(hourly("keep-last", "last", 10, "allow"), hourly("skip", "none", 10, "allow"),
                hourly("catch-up", "all", 3, "allow"));
        CronScheduler scheduler = scheduler();
        tickAt(T10.plusSeconds(30), scheduler);

        // When the laptop wakes at 15:30 after sleeping through five fires, and ticks on to 16:00
        tickAt(Instant.parse("2026-03-10T15:30:00Z"), scheduler);
        List<String> keepLastOnWaking = runIds("keep-last");
        List<String> skipOnWaking = runIds("skip");
        List<String> catchUpOnWaking = runIds("catch-up");
        tickAt(Instant.parse("2026-03-10T16:00:00Z"), scheduler);

        // Then each policy ran what it promises of the missed fires, not all five back to back
        assertThat(keepLastOnWaking).containsExactly("keep-last-c-20260310T100000", "keep-last-c-20260310T150000");
        assertThat(skipOnWaking).containsExactly("skip-c-20260310T100000");
        assertThat(catchUpOnWaking).containsExactly("catch-up-c-20260310T100000", "catch-up-c-20260310T130000",
                "catch-up-c-20260310T140000", "catch-up-c-20260310T150000");
        // And the schedule goes on from the clock: the 16:00 fire runs once for each
        assertThat(runIds("keep-last")).contains("keep-last-c-20260310T160000").hasSize(3);
        assertThat(runIds("skip")).containsExactly("skip-c-20260310T100000", "skip-c-20260310T160000");
        assertThat(runIds("catch-up")).contains("catch-up-c-20260310T160000").hasSize(5);
    }

    @Test
    void shouldTryAFireAgainAfterAStartFailedOnACallThatMayPassAndStartItsRunOnce() {
        // Given an hourly job and an engine whose first two starts fail as a throttled StartExecution does
        register(hourly("throttled", "allow"));
        CronScheduler scheduler = started(new CronScheduler(catalog, new RunDispatcher(catalog, failingStarts(2, true)),
                engine, clock));

        // When 10:00 fires, and the scheduler ticks at each wake-up it asks for
        tickAt(T10, scheduler);
        List<String> afterFirstTry = runIds("throttled");
        Instant firstRetry = scheduler.nextWakeUp().orElseThrow();
        tickAt(firstRetry, scheduler);
        Instant secondRetry = scheduler.nextWakeUp().orElseThrow();
        tickAt(secondRetry, scheduler);

        // Then the fire was tried again 5 s and then 10 s later, and its run started once, under the fire's own id
        assertThat(afterFirstTry).isEmpty();
        assertThat(firstRetry).isEqualTo(T10.plusSeconds(5));
        assertThat(secondRetry).isEqualTo(T10.plusSeconds(15));
        assertThat(runIds("throttled")).containsExactly("throttled-c-20260310T100000");
        assertThat(scheduler.nextWakeUp()).contains(T11);
    }

    @Test
    void shouldNotTryAFireAgainWhenAwsRefusedItsStart() {
        // Given an hourly job and an engine whose starts AWS refuses (a missing permission: waiting will not help)
        register(hourly("refused", "allow"));
        CronScheduler scheduler = started(new CronScheduler(catalog, new RunDispatcher(catalog, failingStarts(99, false)),
                engine, clock));

        // When 10:00 fires
        tickAt(T10, scheduler);

        // Then nothing started and the scheduler waits for the next fire, not for a retry
        assertThat(runIds("refused")).isEmpty();
        assertThat(scheduler.nextWakeUp()).contains(T11);
    }

    @Test
    void shouldGiveUpAFireAfterItsLastTry() {
        // Given an hourly job and an engine whose starts keep failing on a call that may pass
        register(hourly("down", "allow"));
        CronScheduler scheduler = started(new CronScheduler(catalog, new RunDispatcher(catalog, failingStarts(99, true)),
                engine, clock));

        // When 10:00 fires and every retry it asks for comes
        tickAt(T10, scheduler);
        int tries = 1;
        while (scheduler.nextWakeUp().orElseThrow().isBefore(T11)) {
            tickAt(scheduler.nextWakeUp().orElseThrow(), scheduler);
            tries++;
        }

        // Then it was tried five times in all, within three minutes, and then left for the next fire
        assertThat(tries).isEqualTo(FireRetries.MAX_TRIES);
        assertThat(clock.instant()).isBefore(T10.plusSeconds(180));
        assertThat(runIds("down")).isEmpty();
    }

    @Test
    void shouldAskTheEngineOnlyAboutJobsWithAFireSinceTheMarkWhenItRestarts() {
        // Given an hourly job and a daily one at 03:00, and a scheduler that fired 10:00 (and kept how far it fired)
        register(hourly("hourly", "allow"), TestSpecs.shell("daily", "true", """
                triggers:
                  schedules:
                    - cron: "0 3 * * *"
                      misfire: last"""));
        tickAt(T10, scheduler());

        // When a scheduler restarted at 11:30 catches up, over an engine that answers per job (as Step Functions does)
        clock.set(Instant.parse("2026-03-10T11:30:00Z"));
        List<List<String>> asked = new java.util.ArrayList<>();
        RunEngine asking = intercepted((method, args) -> {
            if (method.equals("newestRuns")) {
                asked.add(((java.util.Collection<?>) args[0]).stream().map(String::valueOf).sorted().toList());
            }
            return method.equals("newestRunsQueryPerJob") ? Boolean.TRUE : null;
        });
        CronScheduler restarted = started(new CronScheduler(catalog, dispatcher, asking, clock,
                new InMemoryPausedSchedules(), store.watermarks()));

        // Then it asked for the newest cron run of the hourly job alone (the daily one had no fire since 10:00), ran
        // the hourly job's missed 11:00, and waits for 12:00
        assertThat(asked).containsExactly(List.of("hourly"));
        assertThat(runIds("hourly")).containsExactly("hourly-c-20260310T100000", "hourly-c-20260310T110000");
        assertThat(runIds("daily")).isEmpty();
        assertThat(restarted.nextWakeUp()).contains(T12);
    }

    @Test
    void shouldNotRunAFireSkippedWhilePausedWhenTheSchedulerRestartsAfterItWasResumed() {
        // Given an hourly job (misfire last) that fired 08:00 and was paused until 09:40, so 09:00 was skipped, and a
        // job firing at minute 30 that kept the scheduler ticking until 09:30
        clock.set(Instant.parse("2026-03-10T07:59:30Z"));
        register(hourly("quiet", "last", 10, "allow"), TestSpecs.shell("ticker", "true", """
                triggers:
                  schedules:
                    - cron: "30 * * * *"
                      misfire: none"""));
        CronScheduler before = scheduler();
        tickAt(Instant.parse("2026-03-10T08:00:00Z"), before);
        before.pause("quiet", 0);
        for (String at : List.of("08:30", "09:00", "09:30")) {
            tickAt(Instant.parse("2026-03-10T" + at + ":00Z"), before);
        }
        before.resume("quiet", 0);

        // When a scheduler restarted at 09:45 catches up
        clock.set(Instant.parse("2026-03-10T09:45:00Z"));
        scheduler();

        // Then the fire skipped while paused stays skipped, as it would have without the restart
        assertThat(runIds("quiet")).containsExactly("quiet-c-20260310T080000");
    }

    @Test
    void shouldTryAMissedFireAgainWhenItsStartFailedDuringTheCatchUpOnACallThatMayPass() {
        // Given an hourly job (misfire last) that fired 08:00, down until 11:30, restarted over an engine whose first
        // start fails as a throttled StartExecution does
        clock.set(Instant.parse("2026-03-10T07:59:30Z"));
        register(hourly("throttled", "allow"));
        tickAt(Instant.parse("2026-03-10T08:00:00Z"), scheduler());
        clock.set(Instant.parse("2026-03-10T11:30:00Z"));
        RunEngine failing = failingStarts(1, true);
        CronScheduler restarted = started(new CronScheduler(catalog, new RunDispatcher(catalog, failing), failing, clock,
                new InMemoryPausedSchedules(), store.watermarks()));

        // When the scheduler ticks at the wake-up it asks for
        Instant retry = restarted.nextWakeUp().orElseThrow();
        tickAt(retry, restarted);

        // Then the missed 11:00 fire was tried again 5 s later and its run started
        assertThat(retry).isEqualTo(Instant.parse("2026-03-10T11:30:05Z"));
        assertThat(runIds("throttled")).containsExactly("throttled-c-20260310T080000", "throttled-c-20260310T110000");
    }

    @Test
    void shouldRunAFireThatWaitedForARetryWhenTheSchedulerRestartsBeforeTheRetry() {
        // Given an hourly job that fired 09:00, whose 10:00 start failed on a call that may pass, and a scheduler
        // stopped before its retry
        clock.set(Instant.parse("2026-03-10T08:59:30Z"));
        register(hourly("interrupted", "allow"));
        tickAt(Instant.parse("2026-03-10T09:00:00Z"), scheduler());
        clock.set(Instant.parse("2026-03-10T09:59:30Z"));
        RunEngine failing = failingStarts(1, true);
        CronScheduler before = started(new CronScheduler(catalog, new RunDispatcher(catalog, failing), failing, clock,
                new InMemoryPausedSchedules(), store.watermarks()));
        tickAt(T10, before);

        // When a scheduler restarted at 10:30 catches up
        clock.set(Instant.parse("2026-03-10T10:30:00Z"));
        scheduler();

        // Then the 10:00 fire runs: the scheduler's mark stayed before the fire that waited
        assertThat(runIds("interrupted")).containsExactly("interrupted-c-20260310T090000", "interrupted-c-20260310T100000");
    }

    /**
     * The embedded engine, but each call goes to {@code answer} first, which answers it instead when it returns
     * anything but null.
     */
    private RunEngine intercepted(java.util.function.BiFunction<String, Object[], Object> answer) {
        return (RunEngine) java.lang.reflect.Proxy.newProxyInstance(RunEngine.class.getClassLoader(),
                new Class<?>[]{RunEngine.class}, (proxy, method, args) -> {
                    Object answered = answer.apply(method.getName(), args);
                    if (answered != null) {
                        return answered;
                    }
                    try {
                        return method.invoke(engine, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    /** The embedded engine, but its first {@code failures} starts fail as AWS failing StartExecution would. */
    private RunEngine failingStarts(int failures, boolean retryable) {
        var failed = new java.util.concurrent.atomic.AtomicInteger();
        return intercepted((method, args) -> {
            if (method.equals("start") && failed.getAndIncrement() < failures) {
                throw new UpstreamFailedException("Step Functions failed StartExecution: Rate exceeded",
                        retryable, new RuntimeException());
            }
            return null;
        });
    }
}
