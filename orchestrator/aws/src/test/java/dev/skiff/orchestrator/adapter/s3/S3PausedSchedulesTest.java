package dev.skiff.orchestrator.adapter.s3;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.jobs.Schedule;
import dev.skiff.testing.SettableClock;
import dev.skiff.orchestrator.TestSpecs;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;

/** Pauses in S3 on moto, as two replicas see them. */
class S3PausedSchedulesTest {

    private static final Duration REFRESH = Duration.ofSeconds(2);

    private final S3Client s3 = MotoS3.client(new MotoS3.GetObjectRecorder());
    private final SettableClock clock = new SettableClock(Instant.parse("2026-11-26T02:00:00Z"));
    private final S3Location location = S3Location.parse("s3://" + MotoS3.createBucket(s3) + "/teams/jobs/");

    @AfterEach
    void close() {
        s3.close();
    }

    private static Schedule schedule(String cron) {
        return TestSpecs.shell("nightly", "true", """
                triggers:
                  schedules:
                    - cron: "%s"
                      timezone: Europe/Berlin""".formatted(cron)).triggers().schedules().get(0);
    }

    @Test
    void shouldHoldAPauseOnEveryReplicaWithinOneRefreshUntilItIsResumed() {
        // Given two replicas on the same registry, both having looked once
        var first = new S3PausedSchedules(s3, location, REFRESH, clock);
        var second = new S3PausedSchedules(s3, location, REFRESH, clock);
        assertThat(second.isPaused("nightly", schedule("0 2 * * *"))).isFalse();

        // When the first pauses the schedule
        assertThat(first.pause("nightly", schedule("0 2 * * *"))).isTrue();
        assertThat(first.pause("nightly", schedule("0 2 * * *"))).isFalse();

        // Then the first sees it at once, the second after its refresh interval; an edited expression is another schedule
        assertThat(first.isPaused("nightly", schedule("0 2 * * *"))).isTrue();
        clock.advance(REFRESH);
        assertThat(second.isPaused("nightly", schedule("0 2 * * *"))).isTrue();
        assertThat(second.isPaused("nightly", schedule("0 3 * * *"))).isFalse();
        // And a pause object sits outside what the registry reads as specs
        assertThat(s3.listObjectsV2(r -> r.bucket(location.bucket()).prefix(location.prefix())).contents())
                .singleElement().satisfies(o -> assertThat(o.key()).startsWith("teams/jobs/.skiff/paused/"));

        // When the second resumes it
        assertThat(second.resume("nightly", schedule("0 2 * * *"))).isTrue();
        assertThat(second.resume("nightly", schedule("0 2 * * *"))).isFalse();

        // Then, after a refresh, neither holds it
        clock.advance(REFRESH);
        assertThat(first.isPaused("nightly", schedule("0 2 * * *"))).isFalse();
        assertThat(second.isPaused("nightly", schedule("0 2 * * *"))).isFalse();
    }
}
