package dev.skiff.orchestrator.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.jobs.JobSpec;
import dev.skiff.orchestrator.TestSpecs;
import dev.skiff.orchestrator.adapter.embedded.EmbeddedRunEngine;
import dev.skiff.orchestrator.adapter.embedded.H2RunStore;
import dev.skiff.orchestrator.domain.Backfill;
import dev.skiff.orchestrator.port.Backfills;
import dev.skiff.orchestrator.port.RecordingTaskLauncher;
import dev.skiff.orchestrator.port.RunEngine.RunQuery;
import dev.skiff.orchestrator.port.RunListener;
import dev.skiff.orchestrator.port.TaskRequest;
import dev.skiff.testing.SettableClock;
import dev.skiff.workflows.Run;
import dev.skiff.workflows.RunStatus;
import dev.skiff.workflows.StepOutcome;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The backfill driver over the real embedded engine (in-memory H2) and backfills kept in the same database, with a
 * recording launcher: the test ends the attempts it chooses, and ticks instead of sleeping.
 */
class BackfillDriverTest {

    private static final BackfillService.Request NOVEMBER =
            new BackfillService.Request("2026-11-01", "2026-12-01", 0, 3, true);

    private final SettableClock clock = new SettableClock(Instant.parse("2026-12-05T12:00:00Z"));
    private final RecordingTaskLauncher launcher = new RecordingTaskLauncher(clock);
    private final JobCatalog catalog = new JobCatalog();
    private final Set<String> finished = new HashSet<>();
    private H2RunStore store;
    private EmbeddedRunEngine engine;
    private Backfills backfills;
    private BackfillService service;
    private BackfillDriver driver;
    private int mostActive;

    private static final JobSpec NIGHTLY = TestSpecs.shell("nightly", "true", """
            triggers:
              schedules:
                - cron: "0 2 * * *"
                  timezone: Europe/Berlin""");

    @BeforeEach
    void createEngine() {
        store = H2RunStore.inMemory("backfill-" + UUID.randomUUID());
        engine = new EmbeddedRunEngine(store, launcher, new RunListener() { }, clock, 8, Runnable::run);
        backfills = store.backfills();
        catalog.replace(List.of(new RegisteredJob(NIGHTLY, "nightly.yaml")), List.of());
        startProcess();
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    /** The backfill's parts as a (re)started orchestrator builds them: nothing carried over but the database. */
    private void startProcess() {
        var dispatcher = new RunDispatcher(catalog, engine);
        var progress = new BackfillProgress(engine);
        driver = new BackfillDriver(backfills, progress, catalog, dispatcher, Duration.ofSeconds(2));
        service = new BackfillService(backfills, catalog, progress, engine, clock, driver::wake);
    }

    /** One round: the driver ticks, the engine launches what is due, then the oldest running attempt or two end. */
    private void round(int toFinish) {
        clock.set(clock.instant().plusSeconds(2));
        driver.tick(clock.instant());
        engine.tick(clock.instant());
        mostActive = Math.max(mostActive, activeRuns());
        int ended = 0;
        for (TaskRequest launch : launcher.launches()) {
            if (ended < toFinish && finished.add(launch.runId())) {
                launcher.finish(launch.runId(), launch.attempt(), new StepOutcome.Succeeded());
                ended++;
            }
        }
    }

    private int activeRuns() {
        return engine.list(new RunQuery(Optional.of("nightly"), RunQuery.ACTIVE, Optional.empty(), 1000)).size();
    }

    private List<Run> runs() {
        return engine.list(new RunQuery(Optional.of("nightly"), Set.of(), Optional.empty(), 1000));
    }

    @Test
    void shouldRunThirtyFiresAtMostThreeAtATimeWhenNovemberIsBackfilledDaily() {
        // Given a backfill of November for a daily job, three at a time
        var created = service.create(NIGHTLY, NOVEMBER);
        assertThat(created.created()).isTrue();
        assertThat(created.status().planned()).isEqualTo(30);

        // When the driver and engine tick, one run ending each round
        for (int i = 0; i < 200 && service.status(created.status().backfill().id()).state()
                == BackfillStatus.State.RUNNING; i++) {
            round(1);
        }

        // Then never more than three were active, three were at times, and 30 runs ran, one per fire, all succeeded
        BackfillStatus status = service.status(created.status().backfill().id());
        assertThat(mostActive).isEqualTo(3);
        assertThat(status.state()).isEqualTo(BackfillStatus.State.SUCCEEDED);
        assertThat(status.succeeded()).isEqualTo(30);
        assertThat(runs()).hasSize(30).allSatisfy(run -> {
            assertThat(run.status()).isEqualTo(RunStatus.SUCCEEDED);
            assertThat(run.runId()).matches("nightly-c-202611\\d\\dT010000");
        });
        assertThat(launcher.launches().stream().map(TaskRequest::runId).distinct()).hasSize(30);
        assertThat(launcher.launches()).hasSize(30);
        // And the driver's next tick marks it finished, so it is no longer driven
        driver.tick(clock.instant().plusSeconds(2));
        assertThat(backfills.open()).isEmpty();
        assertThat(backfills.get(status.backfill().id())).hasValueSatisfying(b -> assertThat(b.finished()).isTrue());
    }

    @Test
    void shouldBeBlockedNotSucceededWhileItsJobIsGoneAndGoOnWhenItComesBack() {
        // Given a backfill under way, three runs started
        String id = service.create(NIGHTLY, NOVEMBER).status().backfill().id();
        round(0);
        assertThat(launcher.launches()).hasSize(3);

        // When its job is removed from the registry and the driver ticks on
        catalog.change(List.of(), List.of("nightly"), List.of());
        round(3);
        round(3);

        // Then it is neither over nor successful: blocked, saying why, and still driven
        BackfillStatus gone = service.status(id);
        assertThat(gone.state()).isEqualTo(BackfillStatus.State.BLOCKED);
        assertThat(gone.blockedBy()).hasValue("job nightly is not registered: no fire starts until it is registered again");
        assertThat(gone.ended()).isFalse();
        assertThat(backfills.open()).extracting(Backfill::id).containsExactly(id);
        // And a job that lost the schedule says so
        catalog.change(List.of(new RegisteredJob(TestSpecs.shell("nightly", "true", ""), "nightly.yaml")), List.of(), List.of());
        assertThat(service.status(id).blockedBy()).hasValue("job nightly has no schedule 0 now (it has 0 schedules): no fire starts until it has one again");

        // When the job comes back, the backfill goes on to the end
        catalog.change(List.of(new RegisteredJob(NIGHTLY, "nightly.yaml")), List.of(), List.of());
        for (int i = 0; i < 200 && service.status(id).state() == BackfillStatus.State.RUNNING; i++) {
            round(1);
        }
        assertThat(service.status(id).state()).isEqualTo(BackfillStatus.State.SUCCEEDED);
        assertThat(service.status(id).succeeded()).isEqualTo(30);
        assertThat(service.status(id).blockedBy()).isEmpty();
    }

    @Test
    void shouldStartNothingTwiceWhenTheProcessIsReplacedHalfwayAndTheSameBackfillIsAskedAgain() {
        // Given a backfill that got halfway: 15 runs started, some still running
        String id = service.create(NIGHTLY, NOVEMBER).status().backfill().id();
        while (launcher.launches().size() < 15) {
            round(1);
        }
        List<String> startedBefore = runs().stream().map(Run::runId).toList();

        // When the orchestrator is replaced by a new one on the same database, and the same backfill is asked again
        startProcess();
        var again = service.create(NIGHTLY, NOVEMBER);
        for (int i = 0; i < 200 && service.status(id).state() == BackfillStatus.State.RUNNING; i++) {
            round(2);
        }

        // Then the request named the same backfill, and it ended with exactly 30 runs, each launched once
        assertThat(again.created()).isFalse();
        assertThat(again.status().backfill().id()).isEqualTo(id);
        assertThat(again.status().started()).isEqualTo(startedBefore.size());
        assertThat(service.status(id).succeeded()).isEqualTo(30);
        assertThat(runs()).hasSize(30);
        assertThat(launcher.launches()).hasSize(30);
        assertThat(launcher.launches().stream().map(TaskRequest::runId).distinct()).hasSize(30);
        assertThat(mostActive).isLessThanOrEqualTo(3);
    }

    @Test
    void shouldStartNoMoreRunsWhenCancelledAndCancelTheActiveOnesWhenAsked() {
        // Given a backfill with three runs active
        String id = service.create(NIGHTLY, NOVEMBER).status().backfill().id();
        round(0);
        assertThat(activeRuns()).isEqualTo(3);

        // When it is cancelled without its runs, and more rounds pass with runs ending
        BackfillStatus cancelled = service.cancel(id, false);
        round(3);
        round(3);

        // Then it started nothing more, and its three runs ran to their end
        assertThat(cancelled.state()).isEqualTo(BackfillStatus.State.CANCELLED);
        assertThat(runs()).hasSize(3).allSatisfy(run -> assertThat(run.status()).isEqualTo(RunStatus.SUCCEEDED));

        // And a second backfill cancelled with its runs stops them
        String other = service.create(NIGHTLY, new BackfillService.Request("2026-10-01", "2026-10-05", 0, 2, null))
                .status().backfill().id();
        round(0);
        service.cancel(other, true);
        assertThat(launcher.stops()).hasSize(2);
        assertThat(backfills.get(other)).hasValueSatisfying(b -> assertThat(b.cancelled()).isTrue());
    }

    @Test
    void shouldKeepTheBackfillAsAskedWhenItIsReadBackFromTheDatabase() {
        // Given a backfill asked for
        Backfill asked = service.create(NIGHTLY, NOVEMBER).status().backfill();

        // When it is read back
        Backfill read = backfills.get(asked.id()).orElseThrow();

        // Then it is the same, its dates those of midnight in the schedule's zone
        assertThat(read).isEqualTo(asked);
        assertThat(read.from()).isEqualTo(Instant.parse("2026-10-31T23:00:00Z"));
        assertThat(backfills.ofJob("nightly")).containsExactly(asked);
        assertThat(backfills.open()).containsExactly(asked);
    }

    @Test
    void shouldLookAgainOnlyAfterItsIntervalUnlessANewBackfillWakesIt() {
        // Given a backfill whose first three runs started at a tick, and have ended since
        service.create(NIGHTLY, NOVEMBER);
        Instant first = clock.instant();
        driver.tick(first);
        engine.tick(first);
        launcher.launches().forEach(l -> launcher.finish(l.runId(), l.attempt(), new StepOutcome.Succeeded()));

        // When the loop ticks again one second later (the interval is two), then at two seconds
        driver.tick(first.plusSeconds(1));
        int afterOneSecond = runs().size();
        driver.tick(first.plusSeconds(2));

        // Then the early tick started nothing, and the one at the interval started the next three
        assertThat(afterOneSecond).isEqualTo(3);
        assertThat(runs()).hasSize(6);
        assertThat(driver.nextWakeUp()).contains(first.plusSeconds(4));

        // And a new backfill is driven at the next tick, interval or not
        service.create(NIGHTLY, new BackfillService.Request("2026-10-01", "2026-10-02", 0, 1, true));
        driver.tick(first.plusSeconds(3));
        assertThat(runs()).hasSize(7);
    }
}
