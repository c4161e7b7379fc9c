package dev.skiff.orchestrator.adapter.s3;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.orchestrator.app.JobCatalog;
import dev.skiff.testing.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The S3 registry's snapshot on moto: a restarting replica reads one object and fetches only the specs changed since
 * it was written, and never takes a spec from it that the bucket no longer holds in that form.
 */
class S3RegistrySnapshotTest {

    private static final Duration HOURLY = Duration.ofHours(1);
    private static final String SECRET = "service-secret-0123456789abcdef0123456789";
    private static final String CHECKER = "checker-1";

    private final SettableClock clock = new SettableClock(Instant.now());
    private final MotoS3.GetObjectRecorder gets = new MotoS3.GetObjectRecorder();
    private final ListingGate gate = new ListingGate();
    private final S3Client s3 = MotoS3.client(gets, gate);

    /**
     * Holds back listings of the prefix (ListObjectsV2 with a delimiter; change markers are listed without) while
     * closed, at most {@code holdAtMost}, so that a test sees what a replica published before its listing ended.
     */
    private static final class ListingGate implements ExecutionInterceptor {

        private volatile CountDownLatch open = new CountDownLatch(0);
        private volatile Duration holdAtMost = Duration.ZERO;

        void close(Duration atMost) {
            holdAtMost = atMost;
            open = new CountDownLatch(1);
        }

        void open() {
            open.countDown();
        }

        @Override
        public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
            if (context.request() instanceof ListObjectsV2Request list && list.delimiter() != null) {
                try {
                    open.await(holdAtMost.toMillis(), TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }
    private S3Location location;

    @BeforeEach
    void createBucket() {
        location = S3Location.parse("s3://" + MotoS3.createBucket(s3) + "/teams/jobs/");
    }

    @AfterEach
    void closeClient() {
        gate.open();
        s3.close();
    }

    private S3JobSource replica(JobCatalog catalog, String secret, String checker) {
        return new S3JobSource(s3, location, catalog, false, HOURLY, clock,
                Optional.of(new S3JobSource.SnapshotSettings(secret, checker, Duration.ofMinutes(15))));
    }

    /** A replica that read the registry and wrote its snapshot; the requests are counted from here. */
    private void firstReplicaStarted() {
        var first = replica(new JobCatalog(), SECRET, CHECKER);
        first.reload();
        first.awaitBackground();
        assertThat(s3.listObjectsV2(r -> r.bucket(location.bucket()).prefix(location.key(RegistrySnapshot.KEY))).contents())
                .as("the snapshot written after the first read").hasSize(1);
        gets.clear();
    }

    /** A replica up on alpha, beta and gamma (each at image tag 1), after another wrote their snapshot. */
    private S3JobSource writerAfterASnapshotOfAlphaBetaGamma() {
        put("alpha.yaml", spec("alpha", "example/alpha:1"));
        put("beta.yaml", spec("beta", "example/beta:1"));
        put("gamma.yaml", spec("gamma", "example/gamma:1"));
        firstReplicaStarted();
        var writer = replica(new JobCatalog(), SECRET, CHECKER);
        writer.reload();
        writer.awaitBackground();
        return writer;
    }

    private void put(String fileName, String text) {
        s3.putObject(r -> r.bucket(location.bucket()).key(location.key(fileName)), RequestBody.fromString(text));
    }

    private static String spec(String name, String image) {
        return S3JobSourceTest.spec(name, image);
    }

    private static String image(JobCatalog catalog, String job) {
        return catalog.find(job).orElseThrow(() -> new AssertionError("no job " + job)).image();
    }

    /** The keys fetched, but for the small note of when the snapshot was last found up to date, read with it. */
    private java.util.List<String> fetched() {
        return gets.keys().stream().filter(key -> !key.equals(location.key(RegistrySnapshot.CHECKED_KEY))).toList();
    }

    private String snapshotKey() {
        return location.key(RegistrySnapshot.KEY);
    }

    @Test
    void shouldRestartFromTheSnapshotWithoutFetchingAnUnchangedSpec() {
        // Given three specs read by a replica that wrote the snapshot
        put("alpha.yaml", spec("alpha", "example/alpha:1"));
        put("beta.yaml", spec("beta", "example/beta:1"));
        put("gamma.json", """
                {"name": "gamma", "owner": "test-team", "image": "example/gamma:1", "command": ["true"]}""");
        firstReplicaStarted();

        // When another replica starts
        var catalog = new JobCatalog();
        replica(catalog, SECRET, CHECKER).reload();

        // Then it has every job, having fetched the snapshot and no spec
        assertThat(catalog.snapshot().jobs()).containsOnlyKeys("alpha", "beta", "gamma");
        assertThat(image(catalog, "gamma")).isEqualTo("example/gamma:1");
        assertThat(catalog.snapshot().jobs().get("alpha").source()).isEqualTo(location.uri(location.key("alpha.yaml")));
        assertThat(fetched()).containsExactly(snapshotKey());
    }

    @Test
    void shouldFetchWhatChangedAndDropWhatWentWhileNoReplicaRan() {
        // Given a snapshot of three specs
        put("alpha.yaml", spec("alpha", "example/alpha:1"));
        put("beta.yaml", spec("beta", "example/beta:1"));
        put("gamma.yaml", spec("gamma", "example/gamma:1"));
        firstReplicaStarted();

        // When, with no replica running, beta is changed, gamma deleted and delta added by other means (no markers)
        put("beta.yaml", spec("beta", "example/beta:2"));
        s3.deleteObject(r -> r.bucket(location.bucket()).key(location.key("gamma.yaml")));
        put("delta.yaml", spec("delta", "example/delta:1"));
        var catalog = new JobCatalog();
        var restarted = replica(catalog, SECRET, CHECKER);
        restarted.reload();
        restarted.awaitBackground(); // the listing after a start from a fresh snapshot

        // Then the restarted replica runs beta's new form, not gamma, and delta, fetching only beta and delta
        assertThat(catalog.snapshot().jobs()).containsOnlyKeys("alpha", "beta", "delta");
        assertThat(image(catalog, "beta")).isEqualTo("example/beta:2");
        assertThat(fetched()).containsExactlyInAnyOrder(snapshotKey(), location.key("beta.yaml"), location.key("delta.yaml"));

        // And the snapshot it writes then holds the new state: a third start fetches no spec
        gets.clear();
        var third = new JobCatalog();
        var thirdReplica = replica(third, SECRET, CHECKER);
        thirdReplica.reload();
        thirdReplica.awaitBackground();
        assertThat(third.snapshot().jobs()).containsOnlyKeys("alpha", "beta", "delta");
        assertThat(image(third, "beta")).isEqualTo("example/beta:2");
        assertThat(fetched()).containsExactly(snapshotKey());
    }

    @Test
    void shouldPublishAFreshSnapshotWithTheChangesMarkedSinceBeforeListingThenApplyTheListing() {
        // Given a snapshot of alpha, beta and gamma; then, through a replica, beta changed and gamma deleted (each leaves
        // a change marker), and by other means (no marker) alpha deleted and delta added
        var writer = writerAfterASnapshotOfAlphaBetaGamma();
        writer.put("beta", spec("beta", "example/beta:2"));
        writer.delete("gamma");
        s3.deleteObject(r -> r.bucket(location.bucket()).key(location.key("alpha.yaml")));
        put("delta.yaml", spec("delta", "example/delta:1"));
        clock.advance(Duration.ofMinutes(2));

        // When a replica starts while listing the prefix is slow
        gate.close(Duration.ofSeconds(20));
        var catalog = new JobCatalog();
        var started = replica(catalog, SECRET, CHECKER);
        started.reload();

        // Then it publishes at once the snapshot with the marked changes: beta's new form, no gamma; alpha and delta
        // as the snapshot had them, as on a replica that has not listed since; and its listing is pending
        assertThat(catalog.snapshot().jobs()).containsOnlyKeys("alpha", "beta");
        assertThat(image(catalog, "beta")).isEqualTo("example/beta:2");
        assertThat(started.listed().toCompletableFuture()).isNotDone();

        // And once the listing is through, the bucket as it is
        gate.open();
        started.awaitBackground();
        assertThat(started.listed().toCompletableFuture()).isDone();
        assertThat(catalog.snapshot().jobs()).containsOnlyKeys("beta", "delta");
        assertThat(image(catalog, "beta")).isEqualTo("example/beta:2");
    }

    @Test
    void shouldFetchASpecMarkedManyTimesSinceTheSnapshotOnceAtAStartFromIt() {
        // Given a fresh snapshot; then, through a replica, beta written three times and gamma once (four markers)
        var writer = writerAfterASnapshotOfAlphaBetaGamma();
        for (int version = 2; version <= 4; version++) {
            writer.put("beta", spec("beta", "example/beta:" + version));
        }
        writer.put("gamma", spec("gamma", "example/gamma:2"));
        gets.clear();

        // When a replica starts from the snapshot, its listing held back
        gate.close(Duration.ofSeconds(20));
        var catalog = new JobCatalog();
        replica(catalog, SECRET, CHECKER).reload();

        // Then it runs the last form of each, having fetched each spec the markers name once, not once a marker
        assertThat(image(catalog, "beta")).isEqualTo("example/beta:4");
        assertThat(image(catalog, "gamma")).isEqualTo("example/gamma:2");
        assertThat(fetched()).containsExactlyInAnyOrder(snapshotKey(), location.key("beta.yaml"), location.key("gamma.yaml"));
    }

    @Test
    void shouldListBeforePublishingASnapshotOlderThanTheChangeMarkersLast() {
        // Given a snapshot of alpha written longer ago than change markers are surely kept, and alpha changed since by
        // other means
        put("alpha.yaml", spec("alpha", "example/alpha:1"));
        firstReplicaStarted();
        clock.advance(S3JobSource.FRESH_FOR.plusSeconds(1));
        put("alpha.yaml", spec("alpha", "example/alpha:2"));

        // When a replica starts while listing the prefix is slow
        gate.close(Duration.ofSeconds(3));
        var catalog = new JobCatalog();
        var started = replica(catalog, SECRET, CHECKER);
        started.reload();

        // Then what it published is what the listing showed: the markers that would tell it alpha changed may be gone
        assertThat(image(catalog, "alpha")).isEqualTo("example/alpha:2");
        assertThat(started.listed().toCompletableFuture()).isDone();
    }

    @Test
    void shouldPublishAnOldSnapshotThatAReplicasListingFoundUnchangedLately() {
        // Given a snapshot written long ago, which a replica's listing then found still holding the registry
        put("alpha.yaml", spec("alpha", "example/alpha:1"));
        firstReplicaStarted();
        clock.advance(Duration.ofHours(3));
        var running = replica(new JobCatalog(), SECRET, CHECKER);
        running.reload();
        running.awaitBackground();
        assertThat(fetched()).as("the snapshot is not written again").doesNotContain(location.key("alpha.yaml"));
        clock.advance(Duration.ofMinutes(2));

        // When a replica starts while listing the prefix is slow
        gate.close(Duration.ofSeconds(20));
        var catalog = new JobCatalog();
        var started = replica(catalog, SECRET, CHECKER);
        started.reload();

        // Then it published the snapshot before its listing
        assertThat(image(catalog, "alpha")).isEqualTo("example/alpha:1");
        assertThat(started.listed().toCompletableFuture()).isNotDone();
        gate.open();
        started.awaitBackground();
        assertThat(started.listed().toCompletableFuture()).isDone();
    }

    @Test
    void shouldNotTakeAnInvalidSpecFromTheSnapshot() {
        // Given a snapshot of a valid alpha, and beta that was invalid when it was written
        put("alpha.yaml", spec("alpha", "example/alpha:1"));
        put("beta.yaml", "name: beta\nowner: test-team\n");
        firstReplicaStarted();

        // When a replica starts
        var catalog = new JobCatalog();
        var started = replica(catalog, SECRET, CHECKER);
        started.reload();
        started.awaitBackground();

        // Then beta is read again and reported, not loaded
        assertThat(catalog.snapshot().jobs()).containsOnlyKeys("alpha");
        assertThat(catalog.snapshot().problems()).hasSize(1);
        assertThat(fetched()).containsExactlyInAnyOrder(snapshotKey(), location.key("beta.yaml"));
    }

    @Test
    void shouldIgnoreASnapshotSignedWithAnotherKeyOrByAnotherChecker() {
        // Given a snapshot written by replicas with another secret
        put("alpha.yaml", spec("alpha", "example/alpha:1"));
        put("beta.yaml", spec("beta", "example/beta:1"));
        var other = replica(new JobCatalog(), "another-secret-0123456789abcdef0123456", CHECKER);
        other.reload();
        other.awaitBackground();
        gets.clear();

        // When a replica with this secret starts
        var catalog = new JobCatalog();
        var started = replica(catalog, SECRET, CHECKER);
        started.reload();

        // Then it fetched every spec, and wrote a snapshot of its own that the next start uses
        assertThat(catalog.snapshot().jobs()).containsOnlyKeys("alpha", "beta");
        assertThat(fetched()).containsExactlyInAnyOrder(snapshotKey(), location.key("alpha.yaml"), location.key("beta.yaml"));
        started.awaitBackground();
        gets.clear();
        replica(new JobCatalog(), SECRET, CHECKER).reload();
        assertThat(fetched()).containsExactly(snapshotKey());

        // And one whose checker differs fetches every spec again
        gets.clear();
        var newer = new JobCatalog();
        replica(newer, SECRET, "checker-2").reload();
        assertThat(newer.snapshot().jobs()).containsOnlyKeys("alpha", "beta");
        assertThat(fetched()).containsExactlyInAnyOrder(snapshotKey(), location.key("alpha.yaml"), location.key("beta.yaml"));
    }

    @Test
    void shouldIgnoreASnapshotAlteredInTheBucket() {
        // Given a snapshot, replaced by someone who may write to the bucket with one that loads a job of their making
        put("alpha.yaml", spec("alpha", "example/alpha:1"));
        firstReplicaStarted();
        byte[] written = s3.getObjectAsBytes(r -> r.bucket(location.bucket()).key(snapshotKey())).asByteArray();
        byte[] altered = written.clone();
        altered[altered.length / 2] ^= 0x01;
        s3.putObject(r -> r.bucket(location.bucket()).key(snapshotKey()), RequestBody.fromBytes(altered));
        gets.clear();

        // When a replica starts
        var catalog = new JobCatalog();
        replica(catalog, SECRET, CHECKER).reload();

        // Then it read alpha from the bucket
        assertThat(image(catalog, "alpha")).isEqualTo("example/alpha:1");
        assertThat(fetched()).containsExactlyInAnyOrder(snapshotKey(), location.key("alpha.yaml"));
    }

    @Test
    void shouldIgnoreASnapshotThatUnzipsPastItsBoundWithoutReadingItAll() throws Exception {
        // Given a snapshot replaced by a gzip bomb: a small object that unzips past what one Java array can hold (read
        // whole, it ends the reload with an OutOfMemoryError before the signature is ever checked)
        put("alpha.yaml", spec("alpha", "example/alpha:1"));
        firstReplicaStarted();
        var zipped = new java.io.ByteArrayOutputStream();
        try (var gzip = new java.util.zip.GZIPOutputStream(zipped)) {
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < 2100; i++) {
                gzip.write(zeros);
            }
        }
        s3.putObject(r -> r.bucket(location.bucket()).key(snapshotKey()), RequestBody.fromBytes(zipped.toByteArray()));
        gets.clear();

        // When a replica starts
        var catalog = new JobCatalog();
        replica(catalog, SECRET, CHECKER).reload();

        // Then it ignored the snapshot and read alpha from the bucket
        assertThat(image(catalog, "alpha")).isEqualTo("example/alpha:1");
        assertThat(fetched()).containsExactlyInAnyOrder(snapshotKey(), location.key("alpha.yaml"));
        assertThat(zipped.size()).as("the bomb is small").isLessThan(4 * 1024 * 1024);
    }

    @Test
    void shouldIgnoreASnapshotThatClaimsMoreEntriesThanItMayHold() throws Exception {
        // Given a snapshot replaced by one whose header claims 500,000,000 entries: read as a stream, the count comes
        // before the signature can be checked, and a map sized by it takes gigabytes
        put("alpha.yaml", spec("alpha", "example/alpha:1"));
        firstReplicaStarted();
        var zipped = new java.io.ByteArrayOutputStream();
        try (var out = new java.io.DataOutputStream(new java.util.zip.GZIPOutputStream(zipped))) {
            out.write(RegistrySnapshot.MAGIC);
            dev.skiff.orchestrator.port.LengthPrefixedText.write(out, CHECKER);
            out.writeLong(clock.instant().toEpochMilli());
            out.writeInt(500_000_000);
            out.write(new byte[64]);
        }
        s3.putObject(r -> r.bucket(location.bucket()).key(snapshotKey()), RequestBody.fromBytes(zipped.toByteArray()));
        gets.clear();

        // When a replica starts
        var catalog = new JobCatalog();
        var threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long allocatedBefore = threads.getCurrentThreadAllocatedBytes();
        replica(catalog, SECRET, CHECKER).reload();
        long allocated = threads.getCurrentThreadAllocatedBytes() - allocatedBefore;

        // Then it ignored the snapshot, without sizing anything by the count, and read alpha from the bucket
        assertThat(image(catalog, "alpha")).isEqualTo("example/alpha:1");
        assertThat(fetched()).containsExactlyInAnyOrder(snapshotKey(), location.key("alpha.yaml"));
        assertThat(allocated).as("bytes allocated by the start").isLessThan(256L * 1024 * 1024);
    }

    @Test
    void shouldIgnoreASnapshotCutShort() {
        // Given a snapshot of which only the first half is left
        put("alpha.yaml", spec("alpha", "example/alpha:1"));
        put("beta.yaml", spec("beta", "example/beta:1"));
        firstReplicaStarted();
        byte[] written = s3.getObjectAsBytes(r -> r.bucket(location.bucket()).key(snapshotKey())).asByteArray();
        s3.putObject(r -> r.bucket(location.bucket()).key(snapshotKey()),
                RequestBody.fromBytes(java.util.Arrays.copyOf(written, written.length / 2)));
        gets.clear();

        // When a replica starts
        var catalog = new JobCatalog();
        replica(catalog, SECRET, CHECKER).reload();

        // Then it took nothing from it: both specs were fetched
        assertThat(catalog.snapshot().jobs()).containsOnlyKeys("alpha", "beta");
        assertThat(fetched()).containsExactlyInAnyOrder(snapshotKey(), location.key("alpha.yaml"), location.key("beta.yaml"));
    }
}
