package dev.skiff.orchestrator.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.jobs.JobSpec;
import dev.skiff.testing.SettableClock;
import dev.skiff.orchestrator.TestSpecs;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The fire queue alone: which fires fall due when, with no engine and no policy behind it. */
class FireQueueTest {

    private static final Instant T10 = Instant.parse("2026-03-10T10:00:00Z");
    private static final Instant T11 = Instant.parse("2026-03-10T11:00:00Z");

    private final SettableClock clock = new SettableClock(Instant.parse("2026-03-10T09:59:30Z"));
    private final JobCatalog catalog = new JobCatalog();
    private final FireQueue queue = new FireQueue(clock);

    private static JobSpec hourly(String name) {
        return TestSpecs.shell(name, "true", """
                triggers:
                  schedules:
                    - cron: "0 * * * *"
                    - cron: "30 * * * *\"""");
    }

    private JobCatalog.Snapshot register(JobSpec... jobs) {
        catalog.replace(List.of(jobs).stream().map(j -> new RegisteredJob(j, j.name() + ".yaml")).toList(), List.of());
        return catalog.snapshot();
    }

    @Test
    void shouldHandOutEachFireOnceWhenDueAndQueueTheSchedulesNextFire() {
        // Given a job with two schedules, queued at 09:59:30
        queue.rebuild(register(hourly("pair")), clock.instant());

        // When the queue is asked just before 10:00, at 10:00:00.4, and again at 10:00:01
        List<FireQueue.Due> early = queue.takeDue(T10.minusMillis(1));
        List<FireQueue.Due> atTen = queue.takeDue(T10.plusMillis(400));
        List<FireQueue.Due> again = queue.takeDue(T10.plusSeconds(1));

        // Then only the 10:00 fire of the first schedule came, once, on time, and the next wake-up is the 10:30 fire
        assertThat(early).isEmpty();
        assertThat(atTen).containsExactly(new FireQueue.Due("pair", 0, T10, false));
        assertThat(again).isEmpty();
        assertThat(queue.nextWakeUp()).contains(T10.plusSeconds(1800));
    }

    @Test
    void shouldTellAMissedFireFromALateTickByTheMisfireThreshold() {
        queue.rebuild(register(hourly("late")), clock.instant());

        // When the first tick after 10:00 comes 30 s late and 10:30 is due meanwhile too (a tick at 10:30:30)
        List<FireQueue.Due> due = queue.takeDue(Instant.parse("2026-03-10T10:30:30Z"));

        // Then 10:00 is missed (more than the threshold late) but 10:30 is on time: each is handed out once
        assertThat(due).containsExactly(new FireQueue.Due("late", 0, T10, true),
                new FireQueue.Due("late", 1, Instant.parse("2026-03-10T10:30:00Z"), false));
    }

    @Test
    void shouldHandOutAMissedStretchOnceAndQueueTheNextFireAfterTheTick() {
        queue.rebuild(register(hourly("slept")), clock.instant());

        // When the machine wakes at 15:40 after sleeping through ten fires of each schedule
        List<FireQueue.Due> due = queue.takeDue(Instant.parse("2026-03-10T15:40:00Z"));

        // Then each schedule's first missed fire comes once, marked missed, and the queue goes on after the tick
        assertThat(due).containsExactly(new FireQueue.Due("slept", 0, T10, true),
                new FireQueue.Due("slept", 1, T10.plusSeconds(1800), true));
        assertThat(queue.nextWakeUp()).contains(Instant.parse("2026-03-10T16:00:00Z"));
    }

    @Test
    void shouldKeepADueFireNotYetTakenWhenAReloadChangesTheJob() {
        // Given a job queued before 10:00, whose schedules are replaced by one at minute 0 just after 10:00 (not yet ticked)
        queue.rebuild(register(hourly("changed")), clock.instant());
        queue.takeDue(T10.minusSeconds(1));
        clock.set(T10.plusMillis(500));
        queue.rescheduleChanged(register(TestSpecs.shell("changed", "true", """
                triggers:
                  schedules:
                    - cron: "0 * * * *"
                      timezone: Europe/Berlin""")));

        // When the tick comes
        List<FireQueue.Due> due = queue.takeDue(T10.plusSeconds(1));

        // Then the 10:00 fire is still due: the reload rescheduled from the last tick, not from the reload
        assertThat(due).containsExactly(new FireQueue.Due("changed", 0, T10, false));
        assertThat(queue.nextWakeUp()).contains(T11);
    }

    @Test
    void shouldDropTheOldFiresOfAChangedJobAndLeaveTheOtherJobsAlone() {
        // Given two hourly jobs queued at 09:59:30
        queue.rebuild(register(hourly("moved"), hourly("kept")), clock.instant());

        // When one job's schedule moves to minute 15, the other unchanged
        queue.rescheduleChanged(register(TestSpecs.shell("moved", "true", """
                triggers:
                  schedules:
                    - cron: "15 * * * *\""""), hourly("kept")));

        // Then at 10:00 only the unchanged job fires, at 10:15 the moved one, and the moved job's 10:30 fire is gone
        assertThat(queue.takeDue(T10.plusMillis(100))).containsExactly(new FireQueue.Due("kept", 0, T10, false));
        assertThat(queue.nextWakeUp()).contains(T10.plusSeconds(900));
        assertThat(queue.takeDue(T10.plusSeconds(900))).containsExactly(new FireQueue.Due("moved", 0, T10.plusSeconds(900), false));
        assertThat(queue.takeDue(T10.plusSeconds(1800))).containsExactly(new FireQueue.Due("kept", 1, T10.plusSeconds(1800), false));
    }

    @Test
    void shouldQueueNothingForACatalogChangeBeforeTheFirstRebuildWhichReadsEverySchedule() {
        // Given a queue not built yet (a start: the registry's first load comes before the scheduler's catch-up)
        // When the catalog's first load is published
        queue.rescheduleChanged(register(hourly("early")));

        // Then nothing was computed for it yet
        assertThat(queue.nextWakeUp()).isEmpty();

        // When the queue is built from the catalog, Then the job's fires are queued from then
        queue.rebuild(catalog.snapshot(), clock.instant());
        assertThat(queue.nextWakeUp()).contains(T10);
        assertThat(queue.takeDue(T10.plusMillis(100))).containsExactly(new FireQueue.Due("early", 0, T10, false));
    }

    @Test
    void shouldHandOutEveryFireOfSchedulesSharingInstantsOnceInTimeOrderWhateverTheTicks() {
        // Given 40 jobs firing every 10 s, at one of five offsets, so eight share each instant; half of them changed
        // (stale fires left behind) and one dropped while queued
        List<JobSpec> jobs = new java.util.ArrayList<>();
        for (int i = 0; i < 40; i++) {
            jobs.add(TestSpecs.shell("job-" + i, "true", "triggers:\n  schedules:\n    - cron: \"" + (i % 5) + "/10 * * * * ?\""));
        }
        queue.rebuild(register(jobs.toArray(JobSpec[]::new)), clock.instant());
        List<JobSpec> changed = new java.util.ArrayList<>(jobs.subList(0, 39));
        for (int i = 0; i < 20; i++) {
            changed.set(i, TestSpecs.shell("job-" + i, "true", "triggers:\n  schedules:\n    - cron: \"" + (i % 5) + "/10 * * * * ?\"\n      timezone: UTC\n      concurrency: forbid"));
        }
        queue.rescheduleChanged(register(changed.toArray(JobSpec[]::new)));

        // When ticks come at uneven steps, up to 25 s apart (late, yet within the misfire threshold), for ten minutes
        List<FireQueue.Due> due = new java.util.ArrayList<>();
        java.util.Random random = new java.util.Random(16);
        Instant end = Instant.parse("2026-03-10T10:09:30Z");
        for (Instant now = clock.instant(); now.isBefore(end); now = now.plusMillis(200 + random.nextInt(25_000))) {
            due.addAll(queue.takeDue(now));
        }
        due.addAll(queue.takeDue(end));

        // Then each of the 39 jobs fired at each of its 60 instants after 09:59:30 up to 10:09:30 exactly once, none missed, in time order
        assertThat(due).hasSize(39 * 60).doesNotHaveDuplicates().allMatch(d -> !d.missed());
        assertThat(due).extracting(FireQueue.Due::at).isSorted();
        for (int i = 0; i < 39; i++) {
            int job = i;
            assertThat(due).filteredOn(d -> d.job().equals("job-" + job)).extracting(FireQueue.Due::at)
                    .containsExactlyElementsOf(java.util.stream.IntStream.range(0, 60)
                            .mapToObj(k -> Instant.parse("2026-03-10T09:59:30Z").plusSeconds(10L * k + (job % 5 == 0 ? 10 : job % 5))).toList());
        }
        assertThat(due).noneMatch(d -> d.job().equals("job-39"));
    }
    @Test
    void shouldComputeTheFirstLoadsFiresOnAnotherThreadAndTakeOnlyThoseStillAheadWhenBuilt() {
        // Given a queue whose background work is held here, and a start publishing its first load at 09:59:30
        List<Runnable> background = new java.util.ArrayList<>();
        FireQueue queue = new FireQueue(clock, background::add);
        queue.rescheduleChanged(register(hourly("early")));

        // When that work runs (the second core) and the queue is built only at 10:00:30, after the 10:00 fire
        assertThat(background).hasSize(1);
        background.get(0).run();
        clock.set(T10.plusSeconds(30));
        queue.rebuild(catalog.snapshot(), clock.instant());

        // Then the fire computed ahead that still lies ahead is queued, and the one that fell due meanwhile is
        // computed anew from the rebuild (11:00), as a rebuild with nothing computed ahead queues them
        assertThat(queue.nextWakeUp()).contains(T10.plusSeconds(1800));
        assertThat(queue.takeDue(T10.plusSeconds(1800))).containsExactly(new FireQueue.Due("early", 1, T10.plusSeconds(1800), false));
        assertThat(queue.takeDue(T11)).containsExactly(new FireQueue.Due("early", 0, T11, false));
    }

    @Test
    void shouldComputeAnewTheFiresOfAJobChangedAfterTheFirstLoadsWereComputedAhead() {
        // Given the first load's fires computed ahead, then one job moved to minute 15 before the queue is built
        List<Runnable> background = new java.util.ArrayList<>();
        FireQueue queue = new FireQueue(clock, background::add);
        queue.rescheduleChanged(register(hourly("moved"), hourly("kept")));
        queue.rescheduleChanged(register(TestSpecs.shell("moved", "true", """
                triggers:
                  schedules:
                    - cron: "15 * * * *\""""), hourly("kept")));
        background.forEach(Runnable::run);

        // When the queue is built
        queue.rebuild(catalog.snapshot(), clock.instant());

        // Then the moved job fires at 10:15 only, the kept one as computed ahead
        assertThat(background).hasSize(1);
        assertThat(queue.takeDue(T10.plusMillis(100))).containsExactly(new FireQueue.Due("kept", 0, T10, false));
        assertThat(queue.takeDue(T10.plusSeconds(900))).containsExactly(new FireQueue.Due("moved", 0, T10.plusSeconds(900), false));
        assertThat(queue.takeDue(T10.plusSeconds(1800))).containsExactly(new FireQueue.Due("kept", 1, T10.plusSeconds(1800), false));
    }

    @Test
    void shouldComputeEveryFireAnewWhenBuiltFromBeforeTheFiresComputedAhead() {
        // Given a schedule every 10 s whose fires were computed ahead at 09:59:30 (next: 09:59:40)
        List<Runnable> background = new java.util.ArrayList<>();
        FireQueue queue = new FireQueue(clock, background::add);
        queue.rescheduleChanged(register(TestSpecs.shell("often", "true", """
                triggers:
                  schedules:
                    - cron: "0/10 * * * * ?\"""")));
        background.forEach(Runnable::run);

        // When the queue is built from 09:59:25 (a clock set back)
        queue.rebuild(catalog.snapshot(), Instant.parse("2026-03-10T09:59:25Z"));

        // Then its next fire is the one after 09:59:25
        assertThat(queue.nextWakeUp()).contains(Instant.parse("2026-03-10T09:59:30Z"));
    }
}
