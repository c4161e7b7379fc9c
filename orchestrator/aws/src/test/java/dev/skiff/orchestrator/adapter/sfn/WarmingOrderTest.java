package dev.skiff.orchestrator.adapter.sfn;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.jobs.JobSpec;
import dev.skiff.orchestrator.TestSpecs;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The order and moments in which missing state machines are made: scheduled jobs before their fires, the rest after. */
class WarmingOrderTest {

    private static final Instant NOW = Instant.parse("2026-12-06T10:00:00Z");

    @Test
    void shouldPlanScheduledJobsAheadOfTheirFiresInFireOrderAndLeaveTheOthersUnscheduled() {
        // Given a job firing at 15:00, one at 11:00, one following the 11:00 job, and one started by events
        var specs = specs(
                TestSpecs.shell("late", "true", "triggers: {schedules: [{cron: \"0 15 * * *\"}]}"),
                TestSpecs.shell("soon", "true", "triggers: {schedules: [{cron: \"0 11 * * *\"}]}"),
                TestSpecs.shell("after-soon", "true", "triggers: {after: [{job: soon}]}"),
                TestSpecs.shell("on-event", "true", "triggers: {events: [{pattern: {source: [shop]}}]}"));

        // When the four are planned with machines made 30 minutes ahead, 1 a second
        var order = WarmingOrder.of(List.of("late", "soon", "after-soon", "on-event"), specs, NOW,
                Duration.ofMinutes(30), Duration.ofSeconds(1));

        // Then the 11:00 job and its follower are due at 10:30 (one second apart), the 15:00 job at 14:30, and the
        // event job is left to the slower pace
        assertThat(drainScheduled(order)).containsExactly(
                new WarmingOrder.Due("after-soon", Instant.parse("2026-12-06T10:29:59Z")),
                new WarmingOrder.Due("soon", Instant.parse("2026-12-06T10:30:00Z")),
                new WarmingOrder.Due("late", Instant.parse("2026-12-06T14:30:00Z")));
        assertThat(order.hasUnscheduled()).isTrue();
        assertThat(order.takeUnscheduled()).isEqualTo("on-event");
        assertThat(order.isEmpty()).isTrue();
    }

    @Test
    void shouldStartEarlierWhenMoreJobsFireTogetherThanThePaceReadiesInTheLeadTime() {
        // Given 100 jobs all firing at 11:00
        List<JobSpec> jobs = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            jobs.add(TestSpecs.shell(String.format("job-%03d", i), "true", "triggers: {schedules: [{cron: \"0 11 * * *\"}]}"));
        }

        // When they are planned 10 minutes ahead at one machine every 10 seconds (100 take 1,000 s, more than 600)
        var order = WarmingOrder.of(jobs.stream().map(JobSpec::name).toList(), specs(jobs.toArray(JobSpec[]::new)), NOW,
                Duration.ofMinutes(10), Duration.ofSeconds(10));

        // Then the first is due 990 s before 10:50, and each next one 10 s later, the last at 10:50
        List<WarmingOrder.Due> planned = drainScheduled(order);
        assertThat(planned).hasSize(100);
        assertThat(planned.get(0).startBy()).isEqualTo(Instant.parse("2026-12-06T10:50:00Z").minusSeconds(990));
        for (int i = 1; i < planned.size(); i++) {
            assertThat(Duration.between(planned.get(i - 1).startBy(), planned.get(i).startBy())).isEqualTo(Duration.ofSeconds(10));
        }
        assertThat(planned.get(99).startBy()).isEqualTo(Instant.parse("2026-12-06T10:50:00Z"));
    }

    @Test
    void shouldEndAtALoopOfFollowersAndTakeThemAsUnscheduled() {
        // Given two jobs that follow each other, neither scheduled
        var specs = specs(TestSpecs.shell("ping", "true", "triggers: {after: [{job: pong}]}"),
                TestSpecs.shell("pong", "true", "triggers: {after: [{job: ping}]}"));

        // When they are planned
        var order = WarmingOrder.of(List.of("ping", "pong"), specs, NOW, Duration.ofMinutes(30), Duration.ofSeconds(1));

        // Then both wait for the slower pace
        assertThat(order.nextScheduled()).isEmpty();
        assertThat(Stream.of(order.takeUnscheduled(), order.takeUnscheduled())).containsExactly("ping", "pong");
    }

    private static List<WarmingOrder.Due> drainScheduled(WarmingOrder order) {
        List<WarmingOrder.Due> planned = new ArrayList<>();
        while (order.nextScheduled().isPresent()) {
            planned.add(order.nextScheduled().get());
            order.takeScheduled();
        }
        return planned;
    }

    private static Function<String, Optional<JobSpec>> specs(JobSpec... jobs) {
        Map<String, JobSpec> byName = Stream.of(jobs).collect(Collectors.toMap(JobSpec::name, job -> job));
        return name -> Optional.ofNullable(byName.get(name));
    }
}
