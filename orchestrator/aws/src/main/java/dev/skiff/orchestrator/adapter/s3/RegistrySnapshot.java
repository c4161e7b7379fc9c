package dev.skiff.orchestrator.adapter.s3;

import dev.skiff.jobs.CheckedSpecs;
import dev.skiff.jobs.JobSpec;
import dev.skiff.jobs.JobSpecs;
import dev.skiff.orchestrator.port.LengthPrefixedText;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jboss.logging.Logger;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * The S3 registry's checked specs, kept in one object beside them ({@code <prefix>.skiff/registry-snapshot}) so that a
 * replica starting, with or without a disk of its own, reads one object instead of one GetObject per spec: each valid
 * spec's key, the ETag it was read at, and its checked form ({@code dev.skiff.jobs.CheckedSpecs}). A starting replica
 * lists the prefix as always and takes a spec from the snapshot only when the listing shows the very ETag the snapshot
 * holds; a spec changed or deleted since is fetched or dropped, so an old snapshot only costs fetches, never a wrong
 * job.
 *
 * <p>Anyone who may write specs may write this object too, and a checked form is not checked again. So the snapshot is
 * signed (HMAC-SHA256 with a key only the service holds, derived from its {@code skiff.sfn.token-keys}) and bound to
 * the checker's version: one that is damaged, forged, signed with another key or made by another checker is ignored
 * with one log line, every spec is fetched, and it is written anew.
 *
 * <p>Every replica may write it; each write is a whole, consistent snapshot, so the last one wins harmlessly. A
 * replica writes after its first full listing when the snapshot it found was missing, unusable or out of date, then
 * at most every {@code writeEvery} while specs change, skipping a write when another replica wrote one within that
 * time. Not thread-safe: the registry calls it under its own lock.
 *
 * <p>A snapshot that still holds what a replica found at its full listing is not written again (100,000 specs cost a
 * second or two of CPU); the replica leaves a small signed note instead ({@code <prefix>.skiff/registry-snapshot-checked}:
 * the snapshot's ETag and the time), so that a starting replica knows how recent the snapshot is ({@link #upToDateAt}).
 */
final class RegistrySnapshot {

    private static final Logger LOG = Logger.getLogger(RegistrySnapshot.class);
    static final String KEY = ".skiff/registry-snapshot";
    static final String CHECKED_KEY = ".skiff/registry-snapshot-checked";
    private static final byte[] CHECKED_MAGIC = "skiff registry snapshot checked 1\n".getBytes(StandardCharsets.US_ASCII);
    static final byte[] MAGIC = "skiff registry snapshot 2\n".getBytes(StandardCharsets.US_ASCII);
    private static final int MAC_BYTES = 32;
    /** The most a snapshot may unzip to: 100,000 specs take about 40 MB. */
    static final int MAX_INFLATED_BYTES = 128 * 1024 * 1024;
    /** The most a snapshot may be in the bucket: 100,000 specs take about 5 MB. */
    static final int MAX_ZIPPED_BYTES = 64 * 1024 * 1024;
    /** The most entries a snapshot may claim (it is sized by the count before the signature is checked). */
    static final int MAX_ENTRIES = 1_000_000;
    /** The most bytes of an S3 key, of an ETag and of the checker's version. */
    private static final int MAX_KEY_BYTES = 1024;
    /**
     * The most bytes of a kept form: a spec's text is at most 256 KB, its checked form somewhat more; generous, as a
     * form past it makes the whole snapshot refused (a text is read as its bytes come, so a claimed length takes no
     * memory the stream does not hold).
     */
    private static final int MAX_FORM_BYTES = 16 * JobSpecs.MAX_TEXT_BYTES;

    /** A valid spec as it was read: the object's ETag then, and its checked form. */
    record Entry(String etag, String form) {
    }

    /**
     * A valid spec as this replica holds it: the ETag it was read at, and its model, the very one the catalog holds
     * (the kept form is made again when the snapshot is written: held, 100,000 forms were some 50 MB of heap). No model
     * yet for an entry read from the bucket's snapshot and not taken from it so far.
     */
    record Held(String etag, JobSpec spec) {
    }

    private final S3Client s3;
    private final S3Location location;
    private final SecretKeySpec key;
    private final String version;
    private final Duration writeEvery;
    /** The valid specs as this replica holds them now, by key. */
    private final Map<String, Held> current = new HashMap<>();
    private boolean changed;
    private Instant lastWrite = Instant.MIN;
    /**
     * When the snapshot last read was known to hold the registry (written, or checked since), by its writer's clock:
     * signed, so that a copy put back later looks as old as it is.
     */
    private Optional<Instant> upToDateAt = Optional.empty();
    /** The ETag of the snapshot in the bucket while it holds what {@link #current} held when it was read or written. */
    private volatile Optional<String> bucketEtag = Optional.empty();

    /**
     * @param secret     the service's secret the signing key is derived from; replicas sharing it read each other's
     * @param version    the checker's version; a snapshot made by another is ignored
     * @param writeEvery how long at least between two writes (of any replica)
     */
    RegistrySnapshot(S3Client s3, S3Location location, String secret, String version, Duration writeEvery) {
        this.s3 = s3;
        this.location = location;
        this.key = new SecretKeySpec(derive(secret), "HmacSHA256");
        this.version = version;
        this.writeEvery = writeEvery;
    }

    /** The signing key: never the secret itself, which also seals task tokens. */
    private static byte[] derive(String secret) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return mac.doFinal("skiff registry snapshot signing key".getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java runtime has HmacSHA256", e);
        }
    }

    private String objectKey() {
        return location.key(KEY);
    }

    /**
     * Reads the snapshot in the bucket: its entries by key, empty when there is none or it is unusable. What was
     * read counts as written now, so a replica starting from a fresh snapshot does not write it again.
     */
    Map<String, Entry> read() {
        Parsed parsed;
        Instant written;
        String etag;
        try (var object = s3.getObject(r -> r.bucket(location.bucket()).key(objectKey()))) {
            written = Optional.ofNullable(object.response().lastModified()).orElse(Instant.MIN);
            etag = object.response().eTag();
            Long length = object.response().contentLength();
            if (length != null && length > MAX_ZIPPED_BYTES) {
                throw new Unusable("is " + length + " bytes, more than the " + MAX_ZIPPED_BYTES + " a snapshot may be");
            }
            parsed = parse(object);
        } catch (NoSuchKeyException e) {
            changed = true;
            return Map.of();
        } catch (SdkException | IOException e) {
            changed = true;
            LOG.warnf("cannot read the registry snapshot %s (%s); every spec is fetched", location.uri(objectKey()),
                    e.getMessage());
            return Map.of();
        } catch (Unusable e) {
            changed = true;
            LOG.warnf("the registry snapshot %s %s; it is ignored, every spec is fetched and the snapshot written anew",
                    location.uri(objectKey()), e.getMessage());
            return Map.of();
        }
        Map<String, Entry> entries = parsed.entries();
        bucketEtag = Optional.ofNullable(etag);
        Instant checked = bucketEtag.flatMap(this::readChecked).orElse(Instant.MIN);
        upToDateAt = Optional.of(checked.isAfter(parsed.writtenAt()) ? checked : parsed.writtenAt());
        entries.forEach((key, entry) -> current.put(key, new Held(entry.etag(), null)));
        lastWrite = written;
        LOG.debugf("read %d checked specs from %s", entries.size(), location.uri(objectKey()));
        return entries;
    }

    /**
     * When the snapshot {@link #read} gave was last known to hold the registry: its writing, or a later check by a
     * replica whose full listing found it unchanged, by that replica's clock (signed); empty when none was read.
     */
    Optional<Instant> upToDateAt() {
        return upToDateAt;
    }

    /**
     * The ETag of the snapshot in the bucket, if it holds what this replica holds now: nothing changed since it was
     * read or written here. Then {@link #writeChecked} may vouch for it.
     */
    Optional<String> unchangedInBucket() {
        return changed ? Optional.empty() : bucketEtag;
    }

    /**
     * Leaves the signed note that the snapshot {@code etag} held the registry at {@code now}: one small PUT instead of
     * writing every spec again. A failure only makes the next start list before it publishes.
     */
    void writeChecked(String etag, Instant now) {
        try {
            var body = new ByteArrayOutputStream();
            var out = new DataOutputStream(body);
            out.write(CHECKED_MAGIC);
            LengthPrefixedText.write(out, etag);
            out.writeLong(now.toEpochMilli());
            Mac mac = mac();
            mac.update(body.toByteArray());
            out.write(mac.doFinal());
            s3.putObject(r -> r.bucket(location.bucket()).key(location.key(CHECKED_KEY))
                    .contentType("application/octet-stream"), RequestBody.fromBytes(body.toByteArray()));
        } catch (IOException e) {
            throw new IllegalStateException("writing to memory cannot fail", e);
        } catch (SdkException e) {
            LOG.debugf("cannot write %s (%s)", location.uri(location.key(CHECKED_KEY)), e.getMessage());
        }
    }

    /** When a replica last found the snapshot {@code etag} unchanged, if its signed note says so. */
    private Optional<Instant> readChecked(String etag) {
        byte[] note;
        try {
            note = s3.getObjectAsBytes(r -> r.bucket(location.bucket()).key(location.key(CHECKED_KEY))).asByteArray();
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (SdkException e) {
            LOG.debugf("cannot read %s (%s)", location.uri(location.key(CHECKED_KEY)), e.getMessage());
            return Optional.empty();
        }
        int signed = note.length - MAC_BYTES;
        if (note.length > 4096 || signed < CHECKED_MAGIC.length
                || !java.util.Arrays.equals(note, 0, CHECKED_MAGIC.length, CHECKED_MAGIC, 0, CHECKED_MAGIC.length)) {
            return Optional.empty();
        }
        Mac mac = mac();
        mac.update(note, 0, signed);
        if (!MessageDigest.isEqual(mac.doFinal(), java.util.Arrays.copyOfRange(note, signed, note.length))) {
            LOG.warnf("%s is not signed with this service's key; it is ignored", location.uri(location.key(CHECKED_KEY)));
            return Optional.empty();
        }
        try {
            ByteBuffer in = ByteBuffer.wrap(note, CHECKED_MAGIC.length, signed - CHECKED_MAGIC.length);
            String of = LengthPrefixedText.read(in);
            Instant at = Instant.ofEpochMilli(in.getLong());
            return of.equals(etag) && !in.hasRemaining() ? Optional.of(at) : Optional.empty();
        } catch (BufferUnderflowException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** {@code key} is valid at {@code etag}, as {@code spec} (a spec that came from {@link CheckedSpecs}). */
    void keep(String key, String etag, JobSpec spec) {
        Held before = current.put(key, new Held(etag, spec));
        changed |= before == null || !before.etag().equals(etag);
    }

    /** {@code key} is gone, or holds no valid spec. */
    void drop(String key) {
        changed |= current.remove(key) != null;
    }

    /** Keeps only the entries of {@code keys} (the keys listed): the others were deleted. */
    void retainOnly(Set<String> keys) {
        changed |= current.keySet().retainAll(keys);
    }

    /** A write failed: what it held is still to be written. */
    void markChanged() {
        changed = true;
    }

    /**
     * The entries to write now, if the snapshot changed since the last write and none was written within
     * {@code writeEvery}, or, with {@code force} (after the first read found it missing, unusable or out of date),
     * whenever it changed. A copy, so that it is written without holding the registry.
     */
    Optional<Map<String, Held>> takeIfDue(Instant now, boolean force) {
        if (!changed || (!force && now.isBefore(lastWrite.plus(writeEvery)))) {
            return Optional.empty();
        }
        changed = false;
        return Optional.of(new HashMap<>(current));
    }

    /**
     * Writes {@code entries} as the snapshot; false if it could not (then {@link #markChanged}). With
     * {@code unlessOthersWrote}, a snapshot another replica wrote within {@code writeEvery} is left as it is: its
     * entries hardly differ from these.
     */
    boolean write(Map<String, Held> entries, Instant now, boolean unlessOthersWrote) {
        if (unlessOthersWrote) {
            try {
                Instant other = s3.headObject(r -> r.bucket(location.bucket()).key(objectKey())).lastModified();
                if (other != null && now.isBefore(other.plus(writeEvery))) {
                    lastWrite = other;
                    bucketEtag = Optional.empty(); // another's: it may hold other than this replica does
                    return true;
                }
            } catch (NoSuchKeyException e) {
                // none: write it
            } catch (SdkException e) {
                LOG.debugf("cannot look at the registry snapshot (%s); writing it", e.getMessage());
            }
        }
        lastWrite = now; // also after a failure: tried again in writeEvery, not on every listing
        try {
            byte[] body = serialize(entries, now);
            bucketEtag = Optional.ofNullable(s3.putObject(r -> r.bucket(location.bucket()).key(objectKey())
                    .contentType("application/octet-stream"), RequestBody.fromBytes(body)).eTag());
            LOG.debugf("wrote %d checked specs to %s (%d bytes)", (Object) entries.size(), location.uri(objectKey()), body.length);
            return true;
        } catch (SdkException e) {
            bucketEtag = Optional.empty();
            LOG.warnf("cannot write the registry snapshot %s (%s); a restart fetches every spec changed since the last"
                    + " one", location.uri(objectKey()), e.getMessage());
            return false;
        }
    }

    /**
     * Gzip of: the magic line, the checker's version, the time of writing, the entry count, each entry; then the HMAC of
     * all that. Written
     * through the gzip stream as it is signed: 100,000 specs are some 40 MB before compression, which are never held.
     */
    private byte[] serialize(Map<String, Held> held, Instant writtenAt) {
        // An entry whose model was never taken (its kept form damaged, and not fetched yet) is left out: fetched at the
        // next start.
        Map<String, Held> entries = new HashMap<>(held);
        entries.values().removeIf(entry -> entry.spec() == null);
        try {
            var zipped = new ByteArrayOutputStream(Math.max(1024, entries.size() * 64));
            Mac mac = mac();
            try (var gzip = new GZIPOutputStream(zipped, 1 << 16)) {
                var out = new DataOutputStream(new java.io.BufferedOutputStream(new java.io.FilterOutputStream(gzip) {
                    @Override
                    public void write(byte[] bytes, int offset, int length) throws IOException {
                        mac.update(bytes, offset, length);
                        gzip.write(bytes, offset, length);
                    }

                    @Override
                    public void write(int b) throws IOException {
                        mac.update((byte) b);
                        gzip.write(b);
                    }
                }, 1 << 16));
                out.write(MAGIC);
                LengthPrefixedText.write(out, version);
                out.writeLong(writtenAt.toEpochMilli());
                out.writeInt(entries.size());
                for (var entry : entries.entrySet()) {
                    LengthPrefixedText.write(out, entry.getKey());
                    LengthPrefixedText.write(out, entry.getValue().etag());
                    LengthPrefixedText.write(out, CheckedSpecs.kept(entry.getValue().spec()));
                }
                out.flush();
                gzip.write(mac.doFinal()); // not signed itself: written after the sum was taken
            }
            return zipped.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException("writing to memory cannot fail", e);
        }
    }

    private record Parsed(Instant writtenAt, Map<String, Entry> entries) {
    }

    /**
     * The snapshot in {@code object}, read as a stream: unzipped, signed and parsed entry by entry, in one pass (100,000
     * specs unzip to some 40 MB, which were held whole, then parsed). Nothing read is returned before the signature over
     * the whole content matched; whatever the content says, it is read to its end first, so that a snapshot both
     * malformed and unsigned is called unsigned, as a forgery should be. Every size and count it claims is bounded
     * before it is used: whoever may write specs may write this object.
     *
     * @throws IOException when the object could not be read to its end
     */
    private Parsed parse(InputStream object) throws IOException, Unusable {
        Mac mac = mac();
        try (var signed = new SignedStream(new GZIPInputStream(bounded(object), 1 << 16), mac, MAC_BYTES,
                MAX_INFLATED_BYTES)) {
            var in = new DataInputStream(new BufferedInputStream(signed, 1 << 16));
            Parsed parsed = null;
            String malformed = null;
            try {
                parsed = parseEntries(in);
                if (in.read() != -1) {
                    malformed = "has bytes after its last entry";
                }
            } catch (Unusable e) {
                malformed = e.getMessage();
            } catch (IllegalArgumentException e) {
                malformed = "is malformed (" + e + ")";
            }
            in.transferTo(OutputStream.nullOutputStream()); // the rest, through the signature
            byte[] signature = signed.signature().orElseThrow(() -> new Unusable("is cut short"));
            if (!MessageDigest.isEqual(mac.doFinal(), signature)) {
                throw new Unusable("is not signed with this service's key (damaged, written with other"
                        + " skiff.sfn.token-keys, or not by Skiff)");
            }
            if (malformed != null) {
                throw new Unusable(malformed);
            }
            return parsed;
        } catch (SignedStream.TooLarge e) {
            throw new Unusable("is larger than a snapshot may be: " + e.getMessage() + " (zipped, at most "
                    + MAX_ZIPPED_BYTES + "; unzipped, at most " + MAX_INFLATED_BYTES + ", about 300,000 specs)");
        } catch (java.util.zip.ZipException | EOFException e) {
            throw new Unusable("is not a gzip stream or is cut short (" + e.getMessage() + ")");
        }
    }

    /** The header and entries, as far as they go; the caller checks the signature before it uses any. */
    private Parsed parseEntries(DataInputStream in) throws IOException, Unusable {
        if (!java.util.Arrays.equals(in.readNBytes(MAGIC.length), MAGIC)) {
            throw new Unusable("is not a registry snapshot");
        }
        String madeBy = LengthPrefixedText.read(in, MAX_KEY_BYTES);
        if (!madeBy.equals(version)) {
            throw new Unusable("was written by another version of the checker");
        }
        Instant writtenAt = Instant.ofEpochMilli(in.readLong());
        int count = in.readInt();
        if (count < 0 || count > MAX_ENTRIES) {
            throw new Unusable("claims " + count + " entries, more than the " + MAX_ENTRIES + " a snapshot may hold");
        }
        var entries = new HashMap<String, Entry>(Math.max(16, count * 4 / 3 + 1));
        var texts = new Texts(in);
        for (int i = 0; i < count; i++) {
            entries.put(texts.read(MAX_KEY_BYTES), new Entry(texts.read(MAX_KEY_BYTES), texts.read(MAX_FORM_BYTES)));
        }
        return new Parsed(writtenAt, entries);
    }

    /**
     * Reads the texts {@link LengthPrefixedText} wrote through one reused array, so that each is copied once, into its
     * string: read each into an array of its own, 100,000 entries allocated twice what they hold.
     */
    private static final class Texts {
        private final DataInputStream in;
        private byte[] bytes = new byte[4096];

        Texts(DataInputStream in) {
            this.in = in;
        }

        /** @throws IllegalArgumentException when the length is negative or above {@code atMost} */
        String read(int atMost) throws IOException {
            int length = in.readInt();
            if (length < 0 || length > atMost) {
                throw new IllegalArgumentException("a text of " + length + " bytes, more than the " + atMost + " it may have");
            }
            if (length > bytes.length) {
                bytes = new byte[Math.min(atMost, Math.max(length, 2 * bytes.length))];
            }
            in.readFully(bytes, 0, length);
            return new String(bytes, 0, length, StandardCharsets.UTF_8);
        }
    }

    /** The object's bytes, at most {@link #MAX_ZIPPED_BYTES} (gzip members that unzip to nothing could run on). */
    private static InputStream bounded(InputStream object) {
        return new java.io.FilterInputStream(object) {
            private long taken;

            @Override
            public int read() throws IOException {
                int b = super.read();
                if (b != -1) {
                    counted(1);
                }
                return b;
            }

            @Override
            public int read(byte[] into, int offset, int length) throws IOException {
                int n = super.read(into, offset, length);
                counted(Math.max(n, 0));
                return n;
            }

            private void counted(int n) throws SignedStream.TooLarge {
                taken += n;
                if (taken > MAX_ZIPPED_BYTES) {
                    throw new SignedStream.TooLarge(MAX_ZIPPED_BYTES);
                }
            }
        };
    }

    private Mac mac() {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java runtime has HmacSHA256", e);
        }
    }



    /** Why a snapshot read is not used. */
    private static final class Unusable extends Exception {
        Unusable(String why) {
            super(why, null, false, false);
        }
    }
}
