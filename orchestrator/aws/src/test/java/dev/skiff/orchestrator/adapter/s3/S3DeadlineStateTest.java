package dev.skiff.orchestrator.adapter.s3;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.orchestrator.app.PublishedDeadlines;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
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
    void shouldLetOnlyOneReplicaClaimAnEventAndKeepItClaimedOnceAnnounced() {
        String event = "nightly-c-20261205T020000/DEADLINE_MISSED";
        try (S3Client other = MotoS3.client()) {
            S3EventMarks one = new S3EventMarks(s3, at);
            S3EventMarks another = new S3EventMarks(other, at);

            assertThat(one.claim(event)).isTrue();
            assertThat(another.claim(event)).as("a live claim holds the other replica off").isFalse();
            assertThat(another.has(event)).as("the other replica's watch leaves a claimed event alone").isTrue();

            one.remember(event);
            assertThat(another.claim(event)).isFalse();
            assertThat(one.claim(event)).as("announced is announced, for the claimant too").isFalse();
            assertThat(later(other).has(event)).as("an announcement has no lease").isTrue();
        }
    }

    @Test
    void shouldLetOneReplicaTakeOverAClaimWhoseClaimantDiedBeforeAnnouncing() {
        String event = "nightly-c-20261205T020000/DEADLINE_MISSED";
        assertThat(new S3EventMarks(s3, at).claim(event)).isTrue();
        // the claimant dies here, before it announces
        try (S3Client other = MotoS3.client()) {
            S3EventMarks afterTheLease = later(other);
            assertThat(afterTheLease.has(event)).as("a claim past its lease is not an announcement").isFalse();
            assertThat(afterTheLease.claim(event)).isTrue();
            assertThat(new S3EventMarks(s3, at).claim(event)).as("the new claim holds the rest off").isFalse();
        }
    }

    @Test
    void shouldReadAMarkWrittenBeforeClaimsExistedAsAnnounced() {
        String event = "nightly-c-20261205T020000/DEADLINE_MISSED";
        s3.putObject(r -> r.bucket(at.bucket()).key("jobs/.skiff/announced/" + event),
                software.amazon.awssdk.core.sync.RequestBody.fromString(""));

        assertThat(later(s3).has(event)).isTrue();
        assertThat(later(s3).claim(event)).isFalse();
    }

    @Test
    void shouldPutAMissedDeadlineOnTheBusOnceWhenTwoReplicasFindItInTheSameMoment() {
        String event = "nightly-c-20261205T020000/DEADLINE_MISSED";
        List<ObjectNode> bus = new CopyOnWriteArrayList<>();
        List<ObjectNode> heard = new CopyOnWriteArrayList<>();
        try (S3Client other = MotoS3.client()) {
            var one = new PublishedDeadlines(bus::add, List.of(heard::add), new S3EventMarks(s3, at));
            var another = new PublishedDeadlines(bus::add, List.of(heard::add), new S3EventMarks(other, at));
            // both watches asked before either announced
            assertThat(one.announced(event)).isFalse();
            assertThat(another.announced(event)).isFalse();

            one.announce(event, JsonNodeFactory.instance.objectNode().put("id", event));
            another.announce(event, JsonNodeFactory.instance.objectNode().put("id", event));
        }
        assertThat(bus).hasSize(1);
        assertThat(heard).hasSize(1);
    }

    /** A replica whose clock is past a claim's lease from now. */
    private S3EventMarks later(S3Client client) {
        Clock late = Clock.fixed(Instant.now().plus(S3EventMarks.CLAIM_LEASE).plusSeconds(60), ZoneOffset.UTC);
        return new S3EventMarks(client, at, late, S3EventMarks.CLAIM_LEASE);
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
