package dev.skiff.orchestrator.adapter.s3;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;

/** The prefix listed in ranges on moto, each ListObjectsV2 made slow (50 ms) as S3's pages of 1,000 keys are. */
class RangedListingTest {

    /** Counts the ListObjectsV2 calls in flight at once. */
    private static final class SlowLists implements ExecutionInterceptor {
        final AtomicInteger inFlight = new AtomicInteger();
        final AtomicInteger mostAtOnce = new AtomicInteger();

        @Override
        public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
            if (context.request() instanceof ListObjectsV2Request) {
                mostAtOnce.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        @Override
        public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
            if (context.request() instanceof ListObjectsV2Request) {
                inFlight.decrementAndGet();
            }
        }
    }

    private final SlowLists lists = new SlowLists();
    private final S3Client s3 = MotoS3.client(lists);
    private final S3Location location = S3Location.parse("s3://" + MotoS3.createBucket(s3) + "/teams/jobs/");

    @AfterEach
    void closeClient() {
        s3.close();
    }

    private void put(String fileName) {
        s3.putObject(r -> r.bucket(location.bucket()).key(location.key(fileName)), RequestBody.fromString(fileName));
    }

    private Map<String, String> whatTheBucketHolds() {
        var all = new TreeMap<String, String>();
        s3.listObjectsV2Paginator(r -> r.bucket(location.bucket()).prefix(location.prefix()).delimiter("/"))
                .contents().forEach(o -> all.put(o.key(), o.eTag()));
        return all;
    }

    @Test
    void shouldListEveryKeyInRangesSideBySideThoughTheBucketChangedSinceTheKeysWereKnown() {
        // Given 120 specs known from before, split into ranges of at least 5
        IntStream.range(0, 120).forEach(i -> put(String.format("job-%03d.yaml", i * 2)));
        var known = new TreeSet<>(whatTheBucketHolds().keySet());

        // When since then keys were deleted (a range's boundary among them), added before the first, between others
        // and after the last, and an object was put in a folder below
        for (int i : new int[] {0, 16, 30, 31, 32, 119}) {
            s3.deleteObject(r -> r.bucket(location.bucket()).key(location.key(String.format("job-%03d.yaml", i * 2))));
        }
        put("a-first.yaml");
        put("job-015.yaml");
        put("job-121.yaml");
        put("zz-last.yaml");
        s3.putObject(r -> r.bucket(location.bucket()).key(location.key(".skiff/changes/marker")), RequestBody.empty());
        lists.mostAtOnce.set(0);
        Map<String, String> listed = new RangedListing(s3, location, 5).list(known);

        // Then the listing holds exactly what the bucket holds directly under the prefix, listed several ranges at once
        assertThat(listed).isEqualTo(whatTheBucketHolds()).hasSize(118).containsKey(location.key("zz-last.yaml"));
        assertThat(lists.mostAtOnce.get()).isGreaterThan(4);
    }

    @Test
    void shouldListAPrefixWithFewKnownKeysInOneRange() {
        IntStream.range(0, 3).forEach(i -> put("job-" + i + ".yaml"));
        lists.mostAtOnce.set(0);

        Map<String, String> listed = new RangedListing(s3, location).list(new TreeSet<>(whatTheBucketHolds().keySet()));

        assertThat(listed).isEqualTo(whatTheBucketHolds()).hasSize(3);
        assertThat(lists.mostAtOnce.get()).isEqualTo(1);
    }
}
