package dev.skiff.orchestrator.adapter.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.jobs.Schedule;
import dev.skiff.orchestrator.TestSpecs;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class H2PausedSchedulesTest {

    @TempDir
    Path data;

    private static Schedule schedule(String cron) {
        return TestSpecs.shell("nightly", "true", """
                triggers:
                  schedules:
                    - cron: "%s"
                      timezone: Europe/Berlin""".formatted(cron)).triggers().schedules().get(0);
    }

    @Test
    void shouldKeepAPauseAcrossARestartUntilTheScheduleIsEdited() {
        // Given a paused schedule
        try (var store = H2RunStore.open(data)) {
            assertThat(store.pausedSchedules().pause("nightly", schedule("0 2 * * *"))).isTrue();
        }

        // When the orchestrator opens the same database again
        try (var store = H2RunStore.open(data)) {
            var paused = store.pausedSchedules();

            // Then the schedule is still paused, while an edited expression is a different schedule
            assertThat(paused.isPaused("nightly", schedule("0 2 * * *"))).isTrue();
            assertThat(paused.isPaused("nightly", schedule("0 3 * * *"))).isFalse();
            assertThat(paused.isPaused("other", schedule("0 2 * * *"))).isFalse();
            assertThat(paused.resume("nightly", schedule("0 2 * * *"))).isTrue();
            assertThat(paused.resume("nightly", schedule("0 2 * * *"))).isFalse();
        }
    }

    @Test
    void shouldSeeAPauseAndAResumeWhicheverPartOfTheServiceAsksTheStore() {
        // Given the scheduler's and the API's view of the pauses, each asked of the store
        try (var store = H2RunStore.open(data)) {
            var scheduler = store.pausedSchedules();
            var api = store.pausedSchedules();

            // When the API pauses a schedule, then resumes it
            // Then the scheduler sees each at once (the pauses are held in memory as well as in the database)
            assertThat(api.pause("nightly", schedule("0 2 * * *"))).isTrue();
            assertThat(scheduler.isPaused("nightly", schedule("0 2 * * *"))).isTrue();
            assertThat(api.resume("nightly", schedule("0 2 * * *"))).isTrue();
            assertThat(scheduler.isPaused("nightly", schedule("0 2 * * *"))).isFalse();
        }
    }
}
