package dev.skiff.orchestrator.adapter.s3;

import dev.skiff.orchestrator.app.JobCatalog;
import dev.skiff.orchestrator.app.SpecSources;
import dev.skiff.orchestrator.domain.SkiffException;
import dev.skiff.orchestrator.port.JobRegistry;
import dev.skiff.orchestrator.port.BoundedText;
import dev.skiff.jobs.JobSpecs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
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
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
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
 * Those full listings run on a thread of their own, so that marked changes are applied meanwhile.
 *
 * <p>A replica starting reads the {@link RegistrySnapshot} (with settings), lists the prefix ({@link RangedListing})
 * and fetches only what the snapshot does not hold at the listed ETag: only the listing proves what is there (a spec
 * uploaded or deleted by other means leaves no marker, and markers are deleted after minutes). When the snapshot was
 * written, or found unchanged by a replica's full listing ({@link RegistrySnapshot#upToDateAt}), less than
 * {@link #FRESH_FOR} ago, though, the markers since are all still there: the snapshot
 * and those markers give every change made through Skiff, so the replica publishes that at once (a listing of 100,000
 * keys takes 100 requests in a row per range) and lists in the background, as a running replica does every
 * {@code fullListEvery}. Until that listing is applied, {@link #listed()} is pending: a spec written or deleted in the
 * bucket by other means is not seen yet, exactly as on a replica that has not listed since.
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
    /**
     * How young a snapshot must be for a start to publish it before listing: the markers from a skew before its
     * writing must all be there still, by writers whose clocks may be a skew ahead of its writer's.
     */
    static final Duration FRESH_FOR = KEEP_MARKERS.minus(SKEW.multipliedBy(2));
    /** GetObject calls in flight at once when many specs are read. */
    private static final int FETCHERS = 32;

    private final S3Client s3;
    private final S3Location location;
    private final JobCatalog catalog;
    private final SpecSources sources;
    private final Duration fullListEvery;
    private final Clock clock;
    private final Optional<RegistrySnapshot> snapshot;
    private final RangedListing listing;
    private Instant nextFullList = Instant.MIN;
    /** Markers from this instant on are listed. */
    private Instant markersFrom = Instant.MIN;
    private final Map<String, Instant> seenMarkers = new HashMap<>();
    /** Runs the full listings after the first, and snapshot writes: never on the thread applying marked changes. */
    private ExecutorService background;
    /**
     * While a full listing runs in the background: the keys read or written since it began (marked changes, this
     * replica's own writes). Its older view of them is not applied.
     */
    private Set<String> touchedDuringListing;
    /** Completed once the prefix was listed in full and applied; until then, what was published came from a snapshot. */
    private final CompletableFuture<Void> listed = new CompletableFuture<>();

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
        this(s3, location, catalog, runsPipelines, fullListEvery, clock, Optional.empty());
    }

    /**
     * How the registry keeps its checked specs in the bucket ({@link RegistrySnapshot}).
     *
     * @param secret         the service's secret its signing key is derived from
     * @param checkerVersion the spec checker's version; a snapshot another one made is not used
     * @param writeEvery     how long at least between two writes, by any replica
     */
    public record SnapshotSettings(String secret, String checkerVersion, Duration writeEvery) {
    }

    /** @param snapshot whether and how the checked specs are kept in the bucket, for restarts that fetch only changes */
    public S3JobSource(S3Client s3, S3Location location, JobCatalog catalog, boolean runsPipelines,
                       Duration fullListEvery, Clock clock, Optional<SnapshotSettings> snapshot) {
        this.sources = new SpecSources(LOG, runsPipelines);
        this.s3 = s3;
        this.location = location;
        this.catalog = catalog;
        this.fullListEvery = fullListEvery;
        this.clock = clock;
        this.listing = new RangedListing(s3, location);
        this.snapshot = snapshot.map(settings -> new RegistrySnapshot(s3, location, settings.secret(),
                settings.checkerVersion(), settings.writeEvery()));
    }

    @Override
    public void reload() {
        boolean listInBackground;
        synchronized (this) {
            Instant now = clock.instant();
            if (fullListEvery.isZero()) {
                readAll();
                sources.publish(catalog);
                listed.complete(null);
                return;
            }
            if (markersFrom.equals(Instant.MIN)) {
                long reading = System.nanoTime();
                Map<String, RegistrySnapshot.Entry> kept = snapshot.map(RegistrySnapshot::read).orElse(Map.of());
                long readMs = (System.nanoTime() - reading) / 1_000_000;
                Optional<Instant> fresh = snapshot.flatMap(RegistrySnapshot::upToDateAt)
                        .filter(written -> written.isAfter(now.minus(FRESH_FOR)));
                if (fresh.isPresent()) {
                    startFromSnapshot(kept, readMs);
                    nextFullList = now; // listed in the background right below
                    markersFrom = fresh.get().minus(SKEW); // what changed since the snapshot's writing
                } else {
                    readFirst(kept, readMs);
                    // From the listing's end: a first read of 100,000 specs took 11 minutes on moto, and counted from
                    // its start the next reload listed everything again, holding every change back for another minute.
                    nextFullList = clock.instant().plus(fullListEvery);
                    markersFrom = now.minus(SKEW); // what changed before is in the listing just read
                    listed.complete(null);
                    snapshot.ifPresent(any -> inBackground(() -> writeSnapshot(true)));
                }
            }
            listInBackground = touchedDuringListing == null && !now.isBefore(nextFullList);
            if (listInBackground) {
                touchedDuringListing = new HashSet<>();
            }
            readMarkers();
            sources.publish(catalog);
        }
        if (listInBackground) {
            inBackground(this::listInBackground);
        }
    }

    /**
     * A start from a fresh snapshot: its specs as they were when it was written, without listing. The markers since,
     * read next, bring it up to date with every change made through Skiff; the listing that follows in the background,
     * with the rest.
     */
    private void startFromSnapshot(Map<String, RegistrySnapshot.Entry> kept, long readMs) {
        long started = System.nanoTime();
        Map<String, ValidationResult> read = readKept(kept);
        read.forEach((key, result) -> remember(new Fetched(key, kept.get(key).etag(), Optional.of(result),
                Optional.of(kept.get(key).form()), false)));
        LOG.infof("read the job registry %s from its snapshot (%d ms): %d specs taken in %d ms, published before the"
                + " listing, which runs in the background", location, readMs, read.size(),
                (System.nanoTime() - started) / 1_000_000);
    }

    /**
     * Completes once the prefix was listed in full and what it showed applied: at once after a start that listed,
     * after the background listing when the start published a fresh snapshot.
     */
    @Override
    public CompletionStage<Void> listed() {
        return listed.minimalCompletionStage();
    }

    /**
     * The first read: the whole prefix listed, each spec whose ETag the snapshot holds taken from it, the others
     * fetched. The listing, not the snapshot, says what is there: a spec changed or deleted since the snapshot was
     * written is fetched again or dropped.
     */
    private void readFirst(Map<String, RegistrySnapshot.Entry> kept, long snapshotReadMs) {
        long snapshotRead = System.nanoTime();
        // Reading the kept forms (a JSON parse and the model's construction each: seconds of CPU at 100,000) goes on
        // while the prefix is listed, which mostly waits on S3; only what the listing then confirms is used.
        ExecutorService reader = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "skiff-s3-snapshot");
            t.setDaemon(true);
            return t;
        });
        Future<Map<String, ValidationResult>> fromSnapshot = reader.submit(() -> readKept(kept));
        Map<String, String> etags;
        Map<String, ValidationResult> read;
        try {
            etags = listSpecs(kept.keySet());
            read = fromSnapshot.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SkiffException("interrupted while reading the job registry " + location, e);
        } catch (ExecutionException e) {
            throw new SkiffException("cannot read the registry snapshot of " + location + ": " + e.getCause(), e.getCause());
        } finally {
            reader.shutdownNow();
        }
        long listedAt = System.nanoTime();
        snapshot.ifPresent(s -> s.retainOnly(etags.keySet()));
        var stale = new ArrayList<String>();
        int taken = 0;
        for (Map.Entry<String, String> listedKey : etags.entrySet()) {
            String key = listedKey.getKey();
            RegistrySnapshot.Entry entry = kept.get(key);
            ValidationResult result = read.get(key);
            if (entry != null && entry.etag().equals(listedKey.getValue()) && result != null) {
                remember(new Fetched(key, entry.etag(), Optional.of(result), Optional.of(entry.form()), false));
                taken++;
            } else {
                stale.add(key); // new, changed since the snapshot, or damaged in it: read it
            }
        }
        long fetching = System.nanoTime();
        fetchAll(stale).forEach(this::remember);
        LOG.infof("read the job registry %s: %d specs listed (and the registry snapshot's specs read meanwhile) in %d ms; %d"
                        + " taken from the snapshot (read in %d ms), %d fetched in %d ms", location, etags.size(),
                (listedAt - snapshotRead) / 1_000_000, taken, snapshotReadMs, stale.size(),
                (System.nanoTime() - fetching) / 1_000_000);
    }

    /** The specs of the snapshot's kept forms by key, spread over the cores; a damaged form is left out. */
    private Map<String, ValidationResult> readKept(Map<String, RegistrySnapshot.Entry> kept) {
        var read = new java.util.concurrent.ConcurrentHashMap<String, ValidationResult>(kept.size() * 4 / 3 + 1);
        kept.entrySet().parallelStream().forEach(each -> sources.fromKept(location.uri(each.getKey()),
                each.getValue().form()).ifPresent(result -> read.put(each.getKey(), result)));
        return read;
    }

    /**
     * A full listing after the first, or the first after a start from a fresh snapshot, off the reload thread: it lists
     * and fetches without holding the registry, so the changes markers announce are applied meanwhile; then applies
     * what it found, but for keys read or written since it began, whose newer state stands.
     */
    private void listInBackground() {
        boolean first = !listed.isDone();
        long started = System.nanoTime();
        long cpuBefore = processCpuNanos();
        try {
            List<String> known;
            synchronized (this) {
                known = sources.sources().stream().map(this::keyOf).toList();
            }
            Map<String, String> etags = listSpecs(known);
            List<String> stale;
            synchronized (this) {
                stale = etags.entrySet().stream()
                        .filter(entry -> sources.isStale(location.uri(entry.getKey()), entry.getValue()))
                        .map(Map.Entry::getKey).toList();
            }
            List<Fetched> fetched = fetchAll(stale);
            synchronized (this) {
                Set<String> present = new HashSet<>();
                etags.keySet().forEach(key -> present.add(location.uri(key)));
                touchedDuringListing.forEach(key -> present.add(location.uri(key)));
                forgetAllBut(present);
                if (first) { // a snapshot's entry too damaged to publish is not among the sources: dropped here
                    Set<String> keys = new HashSet<>(etags.keySet());
                    keys.addAll(touchedDuringListing);
                    snapshot.ifPresent(s -> s.retainOnly(keys));
                }
                fetched.stream().filter(f -> !touchedDuringListing.contains(f.key())).forEach(this::remember);
                sources.publish(catalog);
            }
            listed.complete(null);
            writeSnapshot(first); // after a start from the snapshot, as after a first read: what it lacked, at once
            // What the safety net costs (at 100,000 specs: 100 pages of XML every full-list-interval), for operators.
            LOG.infof("listed the job registry %s: %d specs in %d ms, %d fetched as changed; the process used %d ms of CPU"
                            + " meanwhile", location, etags.size(), (System.nanoTime() - started) / 1_000_000, stale.size(),
                    (processCpuNanos() - cpuBefore) / 1_000_000);
        } catch (RuntimeException e) {
            LOG.warnf("listing the job registry %s failed; keeping what was read before%s: %s", location,
                    first ? " (from the snapshot) and trying again at the next reload" : "", e.getMessage());
        } finally {
            synchronized (this) {
                touchedDuringListing = null;
                // Until a listing after a start from the snapshot succeeds, the next reload tries again.
                nextFullList = listed.isDone() ? clock.instant().plus(fullListEvery) : clock.instant();
            }
        }
    }

    private static long processCpuNanos() {
        return java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                instanceof com.sun.management.OperatingSystemMXBean os ? os.getProcessCpuTime() : 0;
    }

    private void forgetAllBut(Set<String> present) {
        for (String source : sources.forgetAllBut(present)) {
            snapshot.ifPresent(s -> s.drop(keyOf(source)));
        }
    }

    /**
     * After a full listing: writes the snapshot when due, serialized outside the registry's lock (100,000 specs take a
     * second or two); or, when the snapshot in the bucket holds what the listing found, notes that it was up to date
     * now, so that a replica starting within {@link #FRESH_FOR} can publish it before listing.
     */
    private void writeSnapshot(boolean afterFirstRead) {
        snapshot.ifPresent(kept -> {
            Optional<Map<String, RegistrySnapshot.Held>> due;
            Optional<String> unchanged;
            Instant now;
            synchronized (this) {
                now = clock.instant();
                unchanged = kept.unchangedInBucket();
                due = kept.takeIfDue(now, afterFirstRead);
            }
            unchanged.ifPresent(etag -> kept.writeChecked(etag, now));
            due.ifPresent(entries -> {
                if (!kept.write(entries, clock.instant(), !afterFirstRead)) {
                    synchronized (this) {
                        kept.markChanged();
                    }
                }
            });
        });
    }

    private synchronized void inBackground(Runnable work) {
        if (background == null) {
            background = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "skiff-s3-full-list");
                t.setDaemon(true);
                return t;
            });
        }
        background.execute(work);
    }

    /** Waits until the background work handed over so far (a full listing, a snapshot write) is done. */
    void awaitBackground() {
        ExecutorService work;
        synchronized (this) {
            work = background;
        }
        if (work != null) {
            try {
                work.submit(() -> { }).get(1, java.util.concurrent.TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
                throw new IllegalStateException("the registry's background work did not end", e);
            }
        }
    }

    /** Every spec listed, the stale ones fetched: the registry as it is (with {@code full-list-interval} zero). */
    private void readAll() {
        Map<String, String> etags = listSpecs(sources.sources().stream().map(this::keyOf).toList());
        forgetAllBut(etags.keySet().stream().map(location::uri).collect(Collectors.toSet()));
        List<String> stale = etags.entrySet().stream()
                .filter(entry -> sources.isStale(location.uri(entry.getKey()), entry.getValue()))
                .map(Map.Entry::getKey).toList();
        fetchAll(stale).forEach(this::remember);
    }

    /**
     * What fetching and checking a key gave: its ETag, check and kept form, or that it went, or nothing (it could not
     * be read).
     */
    private record Fetched(String key, String etag, Optional<ValidationResult> result, Optional<String> kept,
                           boolean gone) {
    }

    /**
     * Fetches and checks the keys {@value #FETCHERS} at a time (a replica started from nothing reads every spec: one
     * GetObject each, one after the other, took minutes at 100,000); the outcomes in the keys' order.
     */
    private List<Fetched> fetchAll(List<String> keys) {
        if (keys.size() <= 1) {
            return keys.stream().map(this::fetched).toList();
        }
        ExecutorService fetchers = Executors.newFixedThreadPool(Math.min(FETCHERS, keys.size()), r -> {
            Thread t = new Thread(r, "skiff-s3-fetch");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<Fetched>> fetched = keys.stream().map(key -> fetchers.submit(() -> fetched(key))).toList();
            var all = new ArrayList<Fetched>(keys.size());
            for (Future<Fetched> each : fetched) {
                all.add(each.get());
            }
            return all;
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
            try (var object = s3.getObject(r -> r.bucket(location.bucket()).key(key))) {
                Optional<String> text = BoundedText.read(object, JobSpecs.MAX_TEXT_BYTES);
                String etag = object.response().eTag();
                if (text.isEmpty()) {
                    object.abort(); // the rest is not wanted: drop the connection rather than drain it
                    return new Fetched(key, etag, Optional.of(JobSpecs.tooLarge(source)), Optional.empty(), false);
                }
                SpecSources.Checked checked = sources.checkKeeping(source, text.get());
                return new Fetched(key, etag, Optional.of(checked.result()), checked.kept(), false);
            }
        } catch (IOException e) {
            LOG.warnf("cannot read job spec %s: %s", source, e.getMessage());
            return new Fetched(key, "", Optional.empty(), Optional.empty(), false);
        } catch (NoSuchKeyException e) {
            return new Fetched(key, "", Optional.empty(), Optional.empty(), true);
        } catch (SdkException e) {
            LOG.warnf("cannot read job spec %s: %s", source, e.getMessage());
            return new Fetched(key, "", Optional.empty(), Optional.empty(), false);
        }
    }

    /**
     * Reads the specs named by markers not seen yet: one ListObjectsV2 of the last minute's markers. Called page by page
     * rather than through the SDK's paginator: at one call every reload interval the SDK's code stays cold for hours,
     * and the paginator's own layers cost as much again per call (an empty listing on moto: 4.9 against 2.9 ms of CPU
     * over the first 20 calls, 1.8 against 0.9 ms after 400).
     */
    private void readMarkers() {
        String folder = location.key(CHANGES);
        List<S3Object> markers = new ArrayList<>();
        try {
            var request = ListObjectsV2Request.builder().bucket(location.bucket()).prefix(folder)
                    .startAfter(folder + stamp(markersFrom));
            ListObjectsV2Response page;
            do {
                page = s3.listObjectsV2(request.build());
                markers.addAll(page.contents());
                request.continuationToken(page.nextContinuationToken());
            } while (Boolean.TRUE.equals(page.isTruncated()) && page.nextContinuationToken() != null);
        } catch (SdkException e) {
            throw new SkiffException("cannot list the change markers of " + location + ": " + e.getMessage(), e);
        }
        Instant newest = markersFrom.plus(SKEW);
        // Each key once, however many markers name it (a start from a fresh snapshot finds the last minutes' markers,
        // often several for one spec edited again and again): one GetObject gives its current state.
        var named = new java.util.LinkedHashSet<String>();
        for (S3Object marker : markers) {
            String name = marker.key().substring(folder.length());
            Optional<Instant> at = timeOf(name);
            if (at.isEmpty() || seenMarkers.putIfAbsent(marker.key(), at.get()) != null) {
                continue;
            }
            newest = at.get().isAfter(newest) ? at.get() : newest;
            String key = location.key(name.substring(name.indexOf('-', name.indexOf('-') + 1) + 1));
            if (isSpecKey(key)) {
                named.add(key);
            }
        }
        named.forEach(this::touched);
        fetchAll(List.copyOf(named)).forEach(this::remember); // side by side: they were fetched one after another
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

    /**
     * Spec keys directly under the prefix, with their ETags; listed in ranges split at {@code known} keys (those of the
     * snapshot, or of the last listing), side by side.
     */
    private Map<String, String> listSpecs(Collection<String> known) {
        try {
            Map<String, String> etags = listing.list(new TreeSet<>(known));
            etags.keySet().removeIf(key -> !isSpecKey(key));
            return etags;
        } catch (SdkException e) {
            throw new SkiffException("cannot list the job registry " + location + ": " + e.getMessage(), e);
        }
    }

    private boolean isSpecKey(String key) {
        String name = key.substring(location.prefix().length());
        return !name.contains("/") && !name.startsWith(".")
                && (name.endsWith(".yaml") || name.endsWith(".yml") || name.endsWith(".json"));
    }

    /** A key a marker names, or this replica wrote: newer than what a full listing under way saw of it. */
    private void touched(String key) {
        if (touchedDuringListing != null) {
            touchedDuringListing.add(key);
        }
    }

    private void remember(Fetched f) {
        if (f.gone()) {
            sources.forget(location.uri(f.key())); // deleted since it was listed or marked
            snapshot.ifPresent(s -> s.drop(f.key()));
        } else if (f.result().isPresent()) {
            ValidationResult result = f.result().get();
            sources.remember(location.uri(f.key()), f.etag(), result);
            snapshot.ifPresent(s -> {
                if (result.valid() && f.kept().isPresent()) {
                    s.keep(f.key(), f.etag(), result.spec().orElseThrow());
                } else {
                    s.drop(f.key()); // invalid now: fetched again at the next start
                }
            });
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
        touched(key);
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
            touched(key);
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
