package dev.skiff.orchestrator.adapter.s3;

import dev.skiff.orchestrator.app.JobCatalog;
import dev.skiff.orchestrator.app.SpecSources;
import dev.skiff.orchestrator.domain.SkiffException;
import dev.skiff.orchestrator.port.JobRegistry;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.HashMap;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import dev.skiff.jobs.ValidationResult;
import java.util.stream.Collectors;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import org.jboss.logging.Logger;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * AWS mode's job registry: the specs {@code <name>.yaml} (or {@code .yml}, {@code .json}) directly under an
 * S3 prefix, which every replica reads. A full read lists the prefix (ListObjectsV2, 1,000 keys a call) and fetches
 * only keys whose ETag changed, so a replica started from nothing reads every spec once and then only edits. A key
 * that turns invalid keeps its last valid version running, as in the directory registry.
 *
 * <p>Listing 100,000 keys takes 100 requests, too many for every reload. So each write through Skiff (an API
 * {@code PUT} or {@code DELETE}) also leaves a change marker, an empty object
 * {@code <prefix>.skiff/changes/<time>-<random>-<spec file name>}, and a reload lists only the markers of about the
 * last minute (one request, usually empty) and fetches the specs they name: a change made through Skiff is on every
 * replica within one reload interval. The whole prefix is listed every {@code fullListEvery}, which is how a spec
 * written to the bucket by other means is found. Markers older than {@link #KEEP_MARKERS} are deleted by writers.
 */
public final class S3JobSource implements JobRegistry {

    private static final Logger LOG = Logger.getLogger(S3JobSource.class);
    static final String CHANGES = ".skiff/changes/";
    /**
     * Markers are looked for from this long before the newest one seen: a marker is named by its writer's clock, and
     * replicas' clocks differ; one dated further back is found by the next full listing.
     */
    static final Duration SKEW = Duration.ofMinutes(1);
    static final Duration KEEP_MARKERS = Duration.ofMinutes(10);
    /** GetObject calls in flight at once when many specs are read. */
    private static final int FETCHERS = 8;

    private final S3Client s3;
    private final S3Location location;
    private final JobCatalog catalog;
    private final SpecSources sources;
    private final Duration fullListEvery;
    private final Clock clock;
    private Instant nextFullList = Instant.MIN;
    /** Markers from this instant on are listed. */
    private Instant markersFrom = Instant.MIN;
    private final Map<String, Instant> seenMarkers = new HashMap<>();

    public S3JobSource(S3Client s3, S3Location location, JobCatalog catalog) {
        this(s3, location, catalog, false);
    }

    /** @param runsPipelines whether the runtime runs multi-step jobs: AWS mode, whose step outputs live beside the specs */
    public S3JobSource(S3Client s3, S3Location location, JobCatalog catalog, boolean runsPipelines) {
        this(s3, location, catalog, runsPipelines, Duration.ZERO, Clock.systemUTC());
    }

    /**
     * @param fullListEvery how often the whole prefix is listed; between, a reload lists the change markers only.
     *                      Zero lists the prefix on every reload and reads no markers.
     */
    public S3JobSource(S3Client s3, S3Location location, JobCatalog catalog, boolean runsPipelines,
                       Duration fullListEvery, Clock clock) {
        this.sources = new SpecSources(LOG, runsPipelines);
        this.s3 = s3;
        this.location = location;
        this.catalog = catalog;
        this.fullListEvery = fullListEvery;
        this.clock = clock;
    }

    @Override
    public synchronized void reload() {
        Instant now = clock.instant();
        if (fullListEvery.isZero() || !now.isBefore(nextFullList)) {
            readAll();
            // From the listing's end: a first read of 100,000 specs took 11 minutes on moto, and counted from its
            // start the next reload listed everything again, holding every change back for another minute.
            nextFullList = clock.instant().plus(fullListEvery);
            if (markersFrom.equals(Instant.MIN)) {
                markersFrom = now.minus(SKEW); // what changed before is in the listing just read
            }
        }
        if (!fullListEvery.isZero()) {
            readMarkers();
        }
        sources.publish(catalog);
    }

    private void readAll() {
        Map<String, String> etags = listSpecs();
        sources.retainOnly(etags.keySet().stream().map(location::uri).collect(Collectors.toSet()));
        List<String> stale = etags.entrySet().stream()
                .filter(entry -> sources.isStale(location.uri(entry.getKey()), entry.getValue()))
                .map(Map.Entry::getKey).toList();
        fetchAll(stale);
    }

    /** What fetching and checking a key gave: its ETag and check, or that it went, or nothing (it could not be read). */
    private record Fetched(String key, String etag, Optional<ValidationResult> result, boolean gone) {
    }

    /**
     * Fetches and checks the keys {@value #FETCHERS} at a time (a replica started from nothing reads every spec: one
     * GetObject each, one after the other, took minutes at 100,000), then gives the outcomes to the sources in order.
     */
    private void fetchAll(List<String> keys) {
        if (keys.size() <= 1) {
            keys.forEach(this::fetch);
            return;
        }
        ExecutorService fetchers = Executors.newFixedThreadPool(FETCHERS, r -> {
            Thread t = new Thread(r, "skiff-s3-fetch");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<Fetched>> fetched = keys.stream().map(key -> fetchers.submit(() -> fetched(key))).toList();
            for (Future<Fetched> each : fetched) {
                remember(each.get());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SkiffException("interrupted while reading the job registry " + location, e);
        } catch (ExecutionException e) {
            throw new SkiffException("cannot read the job registry " + location + ": " + e.getCause().getMessage(), e.getCause());
        } finally {
            fetchers.shutdownNow();
        }
    }

    private Fetched fetched(String key) {
        String source = location.uri(key);
        try {
            var object = s3.getObjectAsBytes(r -> r.bucket(location.bucket()).key(key));
            return new Fetched(key, object.response().eTag(),
                    Optional.of(sources.check(source, object.asString(StandardCharsets.UTF_8))), false);
        } catch (NoSuchKeyException e) {
            return new Fetched(key, "", Optional.empty(), true);
        } catch (SdkException e) {
            LOG.warnf("cannot read job spec %s: %s", source, e.getMessage());
            return new Fetched(key, "", Optional.empty(), false);
        }
    }

    /** Reads the specs named by markers not seen yet: one ListObjectsV2 of the last minute's markers. */
    private void readMarkers() {
        String folder = location.key(CHANGES);
        List<S3Object> markers;
        try {
            markers = s3.listObjectsV2Paginator(r -> r.bucket(location.bucket()).prefix(folder)
                    .startAfter(folder + stamp(markersFrom))).contents().stream().toList();
        } catch (SdkException e) {
            throw new SkiffException("cannot list the change markers of " + location + ": " + e.getMessage(), e);
        }
        Instant newest = markersFrom.plus(SKEW);
        for (S3Object marker : markers) {
            String name = marker.key().substring(folder.length());
            Optional<Instant> at = timeOf(name);
            if (at.isEmpty() || seenMarkers.putIfAbsent(marker.key(), at.get()) != null) {
                continue;
            }
            newest = at.get().isAfter(newest) ? at.get() : newest;
            String key = location.key(name.substring(name.indexOf('-', name.indexOf('-') + 1) + 1));
            if (isSpecKey(key)) {
                fetch(key);
            }
        }
        markersFrom = newest.minus(SKEW);
        Instant forget = markersFrom.minus(SKEW);
        seenMarkers.values().removeIf(at -> at.isBefore(forget));
    }

    private static String stamp(Instant at) {
        return String.format("%015d", Math.max(0, at.toEpochMilli()));
    }

    /** The time a marker's name starts with; empty for an object that is no marker. */
    private static Optional<Instant> timeOf(String marker) {
        int dash = marker.indexOf('-');
        try {
            return dash == 15 && marker.indexOf('-', dash + 1) > dash
                    ? Optional.of(Instant.ofEpochMilli(Long.parseLong(marker.substring(0, dash)))) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** Tells every replica that the spec {@code key} was written or deleted, and deletes markers past keeping. */
    private void leaveMarker(String key) {
        String folder = location.key(CHANGES);
        Instant now = clock.instant();
        String marker = folder + stamp(now) + "-" + UUID.randomUUID().toString().substring(0, 8) + "-"
                + key.substring(location.prefix().length());
        try {
            s3.putObject(r -> r.bucket(location.bucket()).key(marker), RequestBody.empty());
            List<ObjectIdentifier> old = s3.listObjectsV2(r -> r.bucket(location.bucket()).prefix(folder)).contents().stream()
                    .filter(o -> timeOf(o.key().substring(folder.length())).map(at -> at.isBefore(now.minus(KEEP_MARKERS))).orElse(false))
                    .map(o -> ObjectIdentifier.builder().key(o.key()).build()).toList();
            if (!old.isEmpty()) {
                s3.deleteObjects(r -> r.bucket(location.bucket()).delete(d -> d.objects(old)));
            }
        } catch (SdkException e) {
            // The spec is written: other replicas see it at their next full listing, this one at its next reload.
            LOG.warnf("wrote %s but could not leave its change marker (%s); other replicas see it within"
                    + " skiff.jobs.full-list-interval", location.uri(key), e.getMessage());
        }
    }

    /** Spec keys directly under the prefix, with their ETags. */
    private Map<String, String> listSpecs() {
        var etags = new TreeMap<String, String>();
        try {
            s3.listObjectsV2Paginator(r -> r.bucket(location.bucket()).prefix(location.prefix())).contents().stream()
                    .filter(o -> isSpecKey(o.key()))
                    .forEach((S3Object o) -> etags.put(o.key(), o.eTag()));
        } catch (SdkException e) {
            throw new SkiffException("cannot list the job registry " + location + ": " + e.getMessage(), e);
        }
        return etags;
    }

    private boolean isSpecKey(String key) {
        String name = key.substring(location.prefix().length());
        return !name.contains("/") && !name.startsWith(".")
                && (name.endsWith(".yaml") || name.endsWith(".yml") || name.endsWith(".json"));
    }

    private void fetch(String key) {
        remember(fetched(key));
    }

    private void remember(Fetched f) {
        if (f.gone()) {
            sources.forget(location.uri(f.key())); // deleted since it was listed or marked
        } else {
            f.result().ifPresent(result -> sources.remember(location.uri(f.key()), f.etag(), result));
        }
    }

    @Override
    public synchronized void put(String name, String text) {
        List<String> existing = sources.sourcesOf(name);
        String key = existing.isEmpty() ? location.key(name + ".yaml") : keyOf(existing.get(0));
        try {
            s3.putObject(r -> r.bucket(location.bucket()).key(key).contentType("application/yaml"),
                    RequestBody.fromString(text, StandardCharsets.UTF_8));
        } catch (SdkException e) {
            throw new SkiffException("cannot write job spec " + location.uri(key) + ": " + e.getMessage(), e);
        }
        sources.markWritten(location.uri(key));
        LOG.infof("wrote job %s to %s", name, location.uri(key));
        markChanged(key);
    }

    @Override
    public synchronized boolean delete(String name) {
        List<String> keys = new ArrayList<>(sources.sourcesOf(name).stream().map(this::keyOf).toList());
        for (String key : keys) {
            try {
                s3.deleteObject(r -> r.bucket(location.bucket()).key(key));
            } catch (SdkException e) {
                throw new SkiffException("cannot delete job spec " + location.uri(key) + ": " + e.getMessage(), e);
            }
            LOG.infof("deleted job %s (%s)", name, location.uri(key));
            markChanged(key);
        }
        return !keys.isEmpty();
    }

    private void markChanged(String key) {
        if (!fullListEvery.isZero()) {
            leaveMarker(key);
        }
    }

    private String keyOf(String source) {
        return source.substring(location.uri("").length());
    }

    @Override
    public String location() {
        return location.toString();
    }
}
