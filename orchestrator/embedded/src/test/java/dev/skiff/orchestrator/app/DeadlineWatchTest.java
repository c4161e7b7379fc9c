package dev.skiff.orchestrator.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.jobs.JobSpec;
import dev.skiff.orchestrator.TestSpecs;
import dev.skiff.orchestrator.adapter.embedded.EmbeddedRunEngine;
import dev.skiff.orchestrator.adapter.embedded.H2RunStore;
import dev.skiff.orchestrator.port.RecordingTaskLauncher;
import dev.skiff.orchestrator.port.RunEventOutbox;
import dev.skiff.orchestrator.port.RunListener;
import dev.skiff.testing.SettableClock;
import dev.skiff.workflows.RunIds;
import dev.skiff.workflows.StepOutcome;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A schedule's deadline on the embedded engine: an hourly job whose run must have SUCCEEDED 30 minutes after each fire.
 * Missed deadlines are written to the run-event outbox (so published with the run events), once each, also across a
 * restart of the watch, and also for a deadline that passed while the watch was not running.
 */
class DeadlineWatchTest {

    private static final Instant T10 = Instant.parse("2026-03-10T10:00:00Z");
    private static final JobSpec HOURLY = TestSpecs.shell("hourly", "true", """
            triggers:
              schedules:
                - cron: "0 * * * *"
                  deadline: 30m""");

    private final SettableClock clock = new SettableClock(T10.minusSeconds(30));
    private final RecordingTaskLauncher launcher = new RecordingTaskLauncher(clock);
    private final JobCatalog catalog = new JobCatalog();
    private final InMemoryPausedSchedules paused = new InMemoryPausedSchedules();
    private H2RunStore store;
    private EmbeddedRunEngine engine;
    private RunEventOutbox outbox;

    @BeforeEach
    void create() {
        store = H2RunStore.inMemory("deadlines-" + UUID.randomUUID());
        engine = new EmbeddedRunEngine(store, launcher, new RunListener() { }, clock, 8, Runnable::run);
        outbox = store.runEvents();
        catalog.replace(List.of(new RegisteredJob(HOURLY, "hourly.yaml")), List.of());
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void shouldAnnounceAMissedDeadlineOnceWhileTheRunStillRunsAndWhenItNeverStarted() {
        // Given the 10:00 run started and still running, and the 11:00 run that succeeds at 11:10
        DeadlineWatch watch = watch(Duration.ZERO);
        startCron(T10);
        tickAt(T10.plus(Duration.ofMinutes(29)), watch);
        assertThat(deadlineEvents()).as("before the deadline").isEmpty();

        // When 10:30 passes
        tickAt(T10.plus(Duration.ofMinutes(30)).plusSeconds(1), watch);

        // Then the 10:00 fire's deadline is missed, with the run still RUNNING
        assertThat(deadlineEvents()).singleElement().satisfies(e -> {
            assertThat(e.event().path("detail-type").asText()).isEqualTo("Run Deadline Missed");
            assertThat(e.event().path("detail").path("runId").asText()).isEqualTo("hourly-c-20260310T100000");
            assertThat(e.event().path("detail").path("status").asText()).isEqualTo("RUNNING");
            assertThat(e.event().path("detail").path("fireTime").asText()).isEqualTo("2026-03-10T10:00:00Z");
            assertThat(e.event().path("detail").path("deadline").asText()).isEqualTo("2026-03-10T10:30:00Z");
        });

        // And a run that succeeds in time misses nothing; a fire that never ran misses its deadline
        Instant t11 = T10.plus(Duration.ofHours(1));
        startCron(t11);
        clock.set(t11.plus(Duration.ofMinutes(10)));
        launcher.finish("hourly-c-20260310T110000", 1, new StepOutcome.Succeeded());
        engine.tick(clock.instant());
        tickAt(t11.plus(Duration.ofMinutes(31)), watch);
        tickAt(t11.plus(Duration.ofMinutes(91)), watch); // 12:00 never started
        assertThat(deadlineEvents()).extracting(e -> e.event().path("detail").path("runId").asText()
                + " " + e.event().path("detail").path("status").asText())
                .containsExactly("hourly-c-20260310T100000 RUNNING", "hourly-c-20260310T120000 NOT_STARTED");

        // And a watch started anew (a restart) looking a day back announces none of them again, nor the fires of the
        // day before, which it never watched
        tickAt(t11.plus(Duration.ofMinutes(95)), watch(Duration.ofDays(1)));
        assertThat(deadlineEvents()).hasSize(2);
    }

    @Test
    void shouldAnnounceADeadlineThatPassedWhileTheWatchWasNotRunning() {
        // Given a watch that checked at 09:59:30 and stopped; the 10:00 run failed while none ran
        tickAt(clock.instant(), watch(Duration.ZERO));
        startCron(T10);
        clock.set(T10.plus(Duration.ofMinutes(5)));
        launcher.finish("hourly-c-20260310T100000", 1, new StepOutcome.Exited(3));
        engine.tick(clock.instant());

        // When a watch starts at 10:45, looking an hour back
        clock.set(T10.plus(Duration.ofMinutes(45)));
        tickAt(clock.instant(), watch(Duration.ofHours(1)));

        // Then the deadline is announced, the run FAILED
        assertThat(deadlineEvents()).singleElement().satisfies(e ->
                assertThat(e.event().path("detail").path("status").asText()).isEqualTo("FAILED"));
    }

    @Test
    void shouldAnnounceNothingForAPausedSchedule() {
        paused.pause("hourly", HOURLY.triggers().schedules().get(0));
        DeadlineWatch watch = watch(Duration.ZERO);
        tickAt(T10.plus(Duration.ofHours(2)), watch);
        assertThat(deadlineEvents()).isEmpty();
    }

    private DeadlineWatch watch(Duration lookback) {
        return new DeadlineWatch(catalog, engine, paused, new OutboxDeadlines(outbox, new WakeSignal()), store.watermarks(),
                clock, lookback);
    }

    private void startCron(Instant fire) {
        clock.set(fire);
        engine.start(RunIds.cron("hourly", fire), HOURLY, "cron", Map.of());
        engine.tick(fire);
    }

    private void tickAt(Instant now, DeadlineWatch watch) {
        clock.set(now);
        watch.tick(now);
    }

    private List<RunEventOutbox.Pending> deadlineEvents() {
        return outbox.pending(100).stream()
                .filter(e -> e.event().path("detail-type").asText().equals("Run Deadline Missed")).toList();
    }
}
