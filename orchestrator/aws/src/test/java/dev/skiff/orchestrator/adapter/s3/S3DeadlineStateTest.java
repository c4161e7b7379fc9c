package dev.skiff.orchestrator.adapter.s3;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * What the deadline watch keeps in AWS mode, beside the job specs on moto: the events it announced and how far it got,
 * both seen by a second replica (a second client) as by a restart.
 */
class S3DeadlineStateTest {

    private final S3Client s3 = MotoS3.client();
    private final S3Location at = S3Location.parse("s3://" + MotoS3.createBucket(s3) + "/jobs/");

    @AfterEach
    void close() {
        s3.close();
    }

    @Test
    void shouldRememberAnnouncedEventsForEveryReplica() {
        S3EventMarks one = new S3EventMarks(s3, at);
        assertThat(one.has("nightly-c-20261205T020000/DEADLINE_MISSED")).isFalse();

        one.remember("nightly-c-20261205T020000/DEADLINE_MISSED");
        one.remember("nightly-c-20261205T020000/DEADLINE_MISSED");

        try (S3Client other = MotoS3.client()) {
            S3EventMarks another = new S3EventMarks(other, at);
            assertThat(another.has("nightly-c-20261205T020000/DEADLINE_MISSED")).isTrue();
            assertThat(another.has("nightly-c-20261206T020000/DEADLINE_MISSED")).isFalse();
        }
        // beside the specs, in a folder the registry does not read as specs
        assertThat(s3.listObjectsV2(r -> r.bucket(at.bucket()).prefix("jobs/.skiff/announced/")).contents()).hasSize(1);
    }

    @Test
    void shouldKeepHowFarTheWatchGotAndIgnoreAWatermarkThatIsNotAnInstant() {
        S3Watermarks watermarks = new S3Watermarks(s3, at);
        assertThat(watermarks.get("deadlines")).isEmpty();

        watermarks.put("deadlines", Instant.parse("2026-12-05T22:40:00Z"));
        assertThat(new S3Watermarks(s3, at).get("deadlines")).contains(Instant.parse("2026-12-05T22:40:00Z"));

        s3.putObject(r -> r.bucket(at.bucket()).key("jobs/.skiff/watermarks/deadlines"),
                software.amazon.awssdk.core.sync.RequestBody.fromString("yesterday"));
        assertThat(watermarks.get("deadlines")).isEmpty();
    }
}
