package dev.skiff.orchestrator.adapter.s3;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.orchestrator.domain.Backfill;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;

/** Backfill records in a moto S3 bucket, beside the specs, as every replica reads them. */
class S3BackfillsTest {

    private static final Instant FROM = Instant.parse("2026-11-01T00:00:00Z");
    private static final Instant TO = Instant.parse("2026-12-01T00:00:00Z");

    private final S3Client s3 = MotoS3.client();
    private final String bucket = MotoS3.createBucket(s3);
    private final S3Location location = S3Location.parse("s3://" + bucket + "/jobs/");

    @AfterEach
    void close() {
        s3.close();
    }

    private static Backfill backfill(String job, Instant createdAt) {
        return new Backfill(Backfill.idOf(job, 0, FROM, TO), job, 0, FROM, TO, 3, createdAt, false, false);
    }

    @Test
    void shouldKeepTheFirstRecordWhenTheSameBackfillIsCreatedAgainByAnotherReplica() {
        // Given a backfill created through one replica's store
        Backfill first = backfill("daily", Instant.parse("2026-12-05T10:00:00Z"));
        var created = new S3Backfills(s3, location).create(first);

        // When another replica's store creates the same one later
        var again = new S3Backfills(s3, location).create(backfill("daily", Instant.parse("2026-12-05T11:00:00Z")));

        // Then the first is kept and returned, and both replicas see it open
        assertThat(created.created()).isTrue();
        assertThat(again.created()).isFalse();
        assertThat(again.backfill()).isEqualTo(first);
        assertThat(new S3Backfills(s3, location).open()).containsExactly(first);
        assertThat(s3.listObjectsV2(r -> r.bucket(bucket)).contents()).extracting(o -> o.key())
                .containsExactly("jobs/.skiff/backfills/open/" + first.id() + ".json");
    }

    @Test
    void shouldMoveTheRecordToClosedWhenCancelledAndStillFindItByIdAndJob() {
        // Given two open backfills, of jobs whose names share a beginning ("daily" and "daily-b-x")
        S3Backfills backfills = new S3Backfills(s3, location);
        Backfill daily = backfill("daily", Instant.parse("2026-12-05T10:00:00Z"));
        Backfill other = backfill("daily-b-x", Instant.parse("2026-12-05T10:00:01Z"));
        backfills.create(daily);
        backfills.create(other);

        // When the first is cancelled
        backfills.update(daily.cancel());

        // Then it is no longer open, is found by id (cancelled) and by its job only, and lives under closed/
        assertThat(backfills.open()).containsExactly(other);
        assertThat(backfills.get(daily.id())).contains(daily.cancel());
        assertThat(backfills.ofJob("daily")).containsExactly(daily.cancel());
        assertThat(backfills.ofJob("daily-b-x")).containsExactly(other);
        assertThat(s3.listObjectsV2(r -> r.bucket(bucket).prefix("jobs/.skiff/backfills/closed/")).contents())
                .extracting(o -> o.key()).containsExactly("jobs/.skiff/backfills/closed/" + daily.id() + ".json");
    }
}
