package dev.skiff.orchestrator.adapter.s3;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.orchestrator.app.JobCatalog;
import dev.skiff.testing.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;

/**
 * Two replicas of the S3 registry on moto, each listing the whole prefix only every hour: a spec written or deleted
 * through one reaches the other at its next reload through a change marker, with one small listing and one fetch;
 * a spec written to the bucket by other means is found by the next full listing.
 */
class S3ChangeMarkersTest {

    private static final Duration HOURLY = Duration.ofHours(1);

    /** The prefix of every ListObjectsV2 a client sends. */
    private static final class ListRecorder implements ExecutionInterceptor {
        final List<String> prefixes = new CopyOnWriteArrayList<>();

        @Override
        public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
            if (context.request() instanceof ListObjectsV2Request list) {
                prefixes.add(list.prefix());
            }
        }
    }

    private final SettableClock clock = new SettableClock(Instant.now());
    private final MotoS3.GetObjectRecorder readerGets = new MotoS3.GetObjectRecorder();
    private final ListRecorder readerLists = new ListRecorder();
    private final S3Client writerS3 = MotoS3.client();
    private final S3Client readerS3 = MotoS3.client(readerGets, readerLists);
    private final JobCatalog writerCatalog = new JobCatalog();
    private final JobCatalog readerCatalog = new JobCatalog();
    private S3Location location;
    private S3JobSource writer;
    private S3JobSource reader;

    @BeforeEach
    void createReplicas() {
        location = S3Location.parse("s3://" + MotoS3.createBucket(writerS3) + "/teams/jobs/");
        writer = new S3JobSource(writerS3, location, writerCatalog, false, HOURLY, clock);
        reader = new S3JobSource(readerS3, location, readerCatalog, false, HOURLY, clock);
    }

    @AfterEach
    void closeClients() {
        List.of(writerS3, readerS3).forEach(S3Client::close);
    }

    private static String spec(String name, String image) {
        return S3JobSourceTest.spec(name, image);
    }

    private void putDirectly(String fileName, String text) {
        writerS3.putObject(r -> r.bucket(location.bucket()).key(location.key(fileName)), RequestBody.fromString(text));
    }

    private String image(JobCatalog catalog, String job) {
        return catalog.find(job).orElseThrow(() -> new AssertionError("no job " + job)).image();
    }

    /** Both replicas started and read the registry once; the reader's requests are counted from here. */
    private void started() {
        writer.reload();
        reader.reload();
        readerGets.clear();
        readerLists.prefixes.clear();
    }

    @Test
    void shouldBringASpecWrittenThroughOneReplicaToTheOtherWithOneSmallListingAndOneFetch() {
        // Given two replicas that loaded three jobs
        putDirectly("alpha.yaml", spec("alpha", "example/alpha:1"));
        putDirectly("beta.yaml", spec("beta", "example/beta:1"));
        putDirectly("gamma.yaml", spec("gamma", "example/gamma:1"));
        started();

        // When one replica writes a new version of alpha (as PUT /jobs/alpha does) and the other reloads a second later
        writer.put("alpha", spec("alpha", "example/alpha:2"));
        writer.reload();
        clock.advance(Duration.ofSeconds(1));
        reader.reload();

        // Then the other has it, having listed only the change markers and fetched only alpha
        assertThat(image(readerCatalog, "alpha")).isEqualTo("example/alpha:2");
        assertThat(image(writerCatalog, "alpha")).isEqualTo("example/alpha:2");
        assertThat(readerLists.prefixes).containsExactly(location.key(S3JobSource.CHANGES));
        assertThat(readerGets.keys()).containsExactly(location.key("alpha.yaml"));

        // When it reloads again with nothing new
        readerGets.clear();
        reader.reload();

        // Then it fetched nothing
        assertThat(readerGets.keys()).isEmpty();
    }

    @Test
    void shouldCountTheFullListingIntervalFromTheEndOfAListingThatTookLongerThanIt() {
        // Given a replica whose first full listing takes longer than the interval (100,000 specs on a slow store)
        putDirectly("alpha.yaml", spec("alpha", "example/alpha:1"));
        ExecutionInterceptor slowListing = new ExecutionInterceptor() {
            @Override
            public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
                if (context.request() instanceof ListObjectsV2Request list && list.prefix().equals(location.prefix())) {
                    clock.advance(HOURLY.plusMinutes(10));
                }
            }
        };
        try (S3Client slowS3 = MotoS3.client(slowListing, readerLists)) {
            var slow = new S3JobSource(slowS3, location, new JobCatalog(), false, HOURLY, clock);
            slow.reload();
            readerLists.prefixes.clear();

            // When it reloads right after
            slow.reload();

            // Then it lists the change markers only: the next full listing is an interval after the last one ended
            assertThat(readerLists.prefixes).containsExactly(location.key(S3JobSource.CHANGES));
        }
    }

    @Test
    void shouldApplyMarkedChangesWhileAFullListingIsUnderWayAndNotRevertThemAfter() throws Exception {
        // Given a replica whose full listings (after the first) hang until released, as 100 pages of a large prefix take long
        putDirectly("alpha.yaml", spec("alpha", "example/alpha:1"));
        putDirectly("beta.yaml", spec("beta", "example/beta:1"));
        var release = new java.util.concurrent.CountDownLatch(1);
        var listingStarted = new java.util.concurrent.CountDownLatch(1);
        var fullListings = new java.util.concurrent.atomic.AtomicInteger();
        ExecutionInterceptor hangingListing = new ExecutionInterceptor() {
            @Override
            public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
                // after the answer: the listing holds the bucket as it was before the changes below
                if (context.request() instanceof ListObjectsV2Request list && list.prefix().equals(location.prefix())
                        && fullListings.incrementAndGet() > 1) {
                    listingStarted.countDown();
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
        };
        try (S3Client hangingS3 = MotoS3.client(hangingListing)) {
            var replica = new S3JobSource(hangingS3, location, readerCatalog, false, HOURLY, clock);
            writer.reload();
            replica.reload();
            try {
                // When its next full listing falls due and starts, and another replica then changes alpha and deletes beta
                clock.advance(HOURLY);
                org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(Duration.ofSeconds(20), replica::reload,
                        "a reload waited for the full listing");
                assertThat(listingStarted.await(20, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
                writer.put("alpha", spec("alpha", "example/alpha:2"));
                writer.delete("beta");
                clock.advance(Duration.ofSeconds(2));

                // Then the replica's next reload applies both though the listing has not ended
                org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(Duration.ofSeconds(20), replica::reload,
                        "a reload waited for the full listing");
                assertThat(image(readerCatalog, "alpha")).isEqualTo("example/alpha:2");
                assertThat(readerCatalog.find("beta")).isEmpty();
            } finally {
                release.countDown();
            }

            // And when the listing ends (it may have seen the bucket before the changes), they stand
            replica.awaitBackground();
            assertThat(image(readerCatalog, "alpha")).isEqualTo("example/alpha:2");
            assertThat(readerCatalog.find("beta")).isEmpty();
        }
    }

    @Test
    void shouldDropAJobDeletedThroughOneReplicaFromTheOther() {
        putDirectly("alpha.yaml", spec("alpha", "example/alpha:1"));
        putDirectly("beta.yaml", spec("beta", "example/beta:1"));
        started();

        writer.delete("alpha");
        reader.reload();

        assertThat(readerCatalog.snapshot().jobs()).containsOnlyKeys("beta");
        assertThat(readerLists.prefixes).containsExactly(location.key(S3JobSource.CHANGES));
    }

    @Test
    void shouldFindASpecWrittenToTheBucketByOtherMeansAtTheNextFullListing() {
        // Given a replica that read the registry
        putDirectly("alpha.yaml", spec("alpha", "example/alpha:1"));
        started();

        // When a spec is uploaded to the bucket directly (no marker)
        putDirectly("beta.yaml", spec("beta", "example/beta:1"));

        // Then reloads before the full-listing interval do not see it, and the first one after it does
        clock.advance(Duration.ofMinutes(59));
        reader.reload();
        assertThat(readerCatalog.find("beta")).isEmpty();
        clock.advance(Duration.ofMinutes(1));
        reader.reload();
        reader.awaitBackground();
        assertThat(image(readerCatalog, "beta")).isEqualTo("example/beta:1");
    }

    @Test
    void shouldDeleteMarkersPastKeepingWhenWriting() {
        putDirectly("alpha.yaml", spec("alpha", "example/alpha:1"));
        started();
        writer.put("alpha", spec("alpha", "example/alpha:2"));

        clock.advance(S3JobSource.KEEP_MARKERS.plusMinutes(1));
        writer.put("alpha", spec("alpha", "example/alpha:3"));

        var markers = writerS3.listObjectsV2(r -> r.bucket(location.bucket()).prefix(location.key(S3JobSource.CHANGES)))
                .contents();
        assertThat(markers).hasSize(1);
        assertThat(markers.get(0).key()).endsWith("-alpha.yaml");
    }
}
