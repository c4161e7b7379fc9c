package dev.skiff.orchestrator.adapter.s3;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Lists the objects directly under a prefix (ListObjectsV2 with the delimiter {@code /}, so folders below are not
 * walked), with their ETags, in up to {@value #RANGES} key ranges at once. ListObjectsV2 pages (1,000 keys each) can
 * only be read one after another, so 100,000 specs are 100 round trips in a row; but a page can start after any key,
 * so the keys a registry knew from before (its snapshot, its last listing) split the prefix into ranges listed side
 * by side. The ranges leave no gap whatever the bucket holds now: range i lists the keys after boundary i up to and
 * including boundary i+1, the first from the prefix's start, the last to its end. Known keys only choose where to
 * split; a key added or removed since lands in, or leaves, whichever range covers it.
 */
final class RangedListing {

    static final int RANGES = 16;
    /** Ranges of fewer known keys than this are not split off: a range of two pages or less saves no round trip. */
    static final int MIN_KEYS_PER_RANGE = 2_000;

    private final S3Client s3;
    private final S3Location location;
    private final int minKeysPerRange;

    RangedListing(S3Client s3, S3Location location) {
        this(s3, location, MIN_KEYS_PER_RANGE);
    }

    RangedListing(S3Client s3, S3Location location, int minKeysPerRange) {
        this.s3 = s3;
        this.location = location;
        this.minKeysPerRange = minKeysPerRange;
    }

    /**
     * Every object directly under the prefix, by key, with its ETag.
     *
     * @param known keys believed to be there, in order: where to split the prefix into ranges
     */
    Map<String, String> list(NavigableSet<String> known) {
        List<String> boundaries = boundaries(known);
        if (boundaries.isEmpty()) {
            return range(null, null);
        }
        ExecutorService listers = Executors.newFixedThreadPool(boundaries.size() + 1, r -> {
            Thread t = new Thread(r, "skiff-s3-list");
            t.setDaemon(true);
            return t;
        });
        try {
            var ranges = new ArrayList<Future<Map<String, String>>>();
            String after = null;
            for (String until : boundaries) {
                String from = after;
                ranges.add(listers.submit(() -> range(from, until)));
                after = until;
            }
            String last = after;
            ranges.add(listers.submit(() -> range(last, null)));
            var all = new TreeMap<String, String>();
            for (Future<Map<String, String>> range : ranges) {
                all.putAll(range.get());
            }
            return all;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while listing " + location, e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException runtime ? runtime : new IllegalStateException(e.getCause());
        } finally {
            listers.shutdownNow();
        }
    }

    /** Up to {@value #RANGES} - 1 known keys, evenly spaced, where ranges end; none for a small registry. */
    private List<String> boundaries(NavigableSet<String> known) {
        int ranges = Math.min(RANGES, known.size() / minKeysPerRange);
        if (ranges < 2) {
            return List.of();
        }
        var boundaries = new ArrayList<String>(ranges - 1);
        int step = known.size() / ranges;
        int index = 0;
        for (String key : known) {
            if (index > 0 && index % step == 0 && boundaries.size() < ranges - 1) {
                boundaries.add(key);
            }
            index++;
        }
        return boundaries;
    }

    /** The keys after {@code after} (from the start if null) up to and including {@code until} (to the end if null). */
    private Map<String, String> range(String after, String until) {
        var etags = new TreeMap<String, String>();
        s3.listObjectsV2Paginator(r -> r.bucket(location.bucket()).prefix(location.prefix()).delimiter("/")
                        .startAfter(after))
                .contents().stream()
                .takeWhile(o -> until == null || o.key().compareTo(until) <= 0)
                .forEach((S3Object o) -> etags.put(o.key(), o.eTag()));
        return etags;
    }
}
