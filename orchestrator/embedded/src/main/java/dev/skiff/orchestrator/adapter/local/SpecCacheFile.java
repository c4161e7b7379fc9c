package dev.skiff.orchestrator.adapter.local;

import dev.skiff.jobs.CheckedSpecs;
import dev.skiff.jobs.JobSpec;
import dev.skiff.orchestrator.port.CheckedSpecCache;
import dev.skiff.orchestrator.port.LengthPrefixedText;
import dev.skiff.orchestrator.port.SpecHash;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;
import org.jboss.logging.Logger;

/**
 * The checked specs kept in one file of the data directory, read once at start and written whole, atomically (a
 * temporary file moved over it): by the flush after the first load's (the registry's next reload, on its own thread:
 * not on the start's path, where writing 100,000 entries was a seventh of a first start's main thread and a sixth of
 * its C2 compiling), then at most every {@code writeEvery} while specs change, and at a clean shutdown ({@link #close})
 * if specs changed since the last write.
 * A file that is damaged (its CRC-32 does not match), cut short, or written by another version of the checker is
 * ignored, said once in the log, and written anew: it is only ever a shortcut, never trusted over the specs.
 *
 * <p>Beside the kept forms, by the hash of their text, it records which text each file held at which stamp (modification
 * time and size, see {@link #settle}), so that a restart takes an unchanged file's spec without reading it.
 *
 * <p>Layout, big-endian: the magic line; the checker's version (length, UTF-8); the entry count; per entry the
 * SHA-256 of the spec's text, then its kept form (length, UTF-8); the count of files; per file its name and stamp
 * (each length, UTF-8) and the SHA-256 of its text; last, the CRC-32 of everything before it as 8 bytes.
 * Only the entries of specs read since the start are written again, so that versions no file holds any more go.
 *
 * <p>It holds the specs, not their kept forms: the file is read as a stream, each form read back into its spec at once
 * (no array of the whole file, no forms kept until asked for), and the forms are made again from the specs when the
 * file is written. At 100,000 specs the file's bytes and forms were some 70 MB that a restart promoted to the old
 * generation only to drop, and 35 MB of forms held for good, beside the same specs in the catalog.
 */
public final class SpecCacheFile implements CheckedSpecCache {

    private static final Logger LOG = Logger.getLogger(SpecCacheFile.class);
    /** How many kept forms are read from the file before they are read back into specs, together. */
    private static final int READ_TOGETHER = 1024;
    private static final byte[] MAGIC = "skiff checked specs 2\n".getBytes(StandardCharsets.US_ASCII);
    /** The magic line of the layout before files' stamps were recorded. */
    private static final byte[] EARLIER_MAGIC = "skiff checked specs\n".getBytes(StandardCharsets.US_ASCII);

    private final Path file;
    private final String version;
    private final Duration writeEvery;
    /** Entries read from the file that no spec asked for yet. */
    private final Map<SpecHash, JobSpec> stored;
    /** Entries asked for or kept since the start: what the next write holds. */
    private final Map<SpecHash, JobSpec> live;
    /** Which text each file held at which stamp, as read from the file; and as asked for or recorded since the start. */
    private final Map<String, Settled> storedFiles;
    private final Map<String, Settled> liveFiles;
    private volatile boolean changed;
    /** The first flush (the start's load) came: what no spec asked for by then is dropped. */
    private boolean loaded;
    /** Written since the start: later writes wait {@code writeEvery}. */
    private boolean writtenOnce;
    private long lastWrite;

    /** A file's stamp when it held the text of {@code hash}. */
    private record Settled(String stamp, SpecHash hash) {
    }

    /** What a cache file holds. */
    private record Contents(ConcurrentHashMap<SpecHash, JobSpec> entries, ConcurrentHashMap<String, Settled> files) {
        static Contents empty() {
            return new Contents(new ConcurrentHashMap<>(), new ConcurrentHashMap<>());
        }
    }

    private SpecCacheFile(Path file, String version, Duration writeEvery, Contents stored) {
        this.file = file;
        this.version = version;
        this.writeEvery = writeEvery;
        this.stored = stored.entries();
        this.storedFiles = stored.files();
        // Sized for what a restart moves over from the file: growing to 100,000 entries resized them 13 times each.
        this.live = new ConcurrentHashMap<>(Math.max(16, stored.entries().size()));
        this.liveFiles = new ConcurrentHashMap<>(Math.max(16, stored.files().size()));
    }

    /**
     * Reads the cache in {@code file}, if there is a usable one.
     *
     * @param version    the checker's version ({@link CheckerVersion}); entries of any other are ignored
     * @param writeEvery how long at least between two writes after the first
     */
    public static SpecCacheFile open(Path file, String version, Duration writeEvery) {
        return new SpecCacheFile(file, version, writeEvery, read(file, version));
    }

    @Override
    public Optional<JobSpec> find(SpecHash hash) {
        JobSpec spec = live.get(hash);
        if (spec == null) {
            spec = stored.remove(hash);
            if (spec != null) {
                live.put(hash, spec);
            }
        }
        return Optional.ofNullable(spec);
    }

    @Override
    public void keep(SpecHash hash, JobSpec spec) {
        live.put(hash, spec);
        changed = true;
    }

    @Override
    public Optional<SpecHash> settled(String source, String stamp) {
        Settled settled = liveFiles.get(source);
        if (settled == null) {
            settled = storedFiles.remove(source);
            if (settled != null && settled.stamp().equals(stamp)) {
                // Kept under the caller's texts, which the registry holds anyway, not the copies read from the file.
                settled = new Settled(stamp, settled.hash());
                liveFiles.put(source, settled);
            }
        }
        return settled != null && settled.stamp().equals(stamp) ? Optional.of(settled.hash()) : Optional.empty();
    }

    @Override
    public void settle(String source, String stamp, SpecHash hash) {
        if (!new Settled(stamp, hash).equals(liveFiles.put(source, new Settled(stamp, hash)))) {
            changed = true;
        }
    }

    /**
     * The first flush drops what no spec asked for (files deleted or changed while Skiff was down) and leaves the write
     * to the next one: the first flush comes at the end of the start's load, before the service is up, and the cache is
     * for the next start. The next flush (the registry's first reload after the start) writes whatever the time.
     */
    @Override
    public synchronized void flush() {
        store(false);
    }

    /** Writes what changed since the last write now, however recent that was. */
    @Override
    public synchronized void close() {
        store(true);
    }

    private void store(boolean whateverTheTime) {
        if (!loaded) {
            loaded = true;
            changed |= !stored.isEmpty() || !storedFiles.isEmpty();
            stored.clear();
            storedFiles.clear();
            if (!whateverTheTime) {
                return;
            }
        } else if (writtenOnce && !whateverTheTime && System.nanoTime() - lastWrite < writeEvery.toNanos()) {
            return;
        }
        writtenOnce = true;
        if (changed) {
            changed = false;
            write();
            lastWrite = System.nanoTime();
        }
    }

    private void write() {
        Path temporary = null;
        try {
            temporary = Files.createTempFile(file.toAbsolutePath().getParent(), ".spec-cache-", ".tmp");
            var crc = new CRC32();
            try (OutputStream raw = Files.newOutputStream(temporary);
                 var checked = new CheckedOutputStream(new BufferedOutputStream(raw, 1 << 16), crc);
                 var out = new DataOutputStream(checked)) {
                out.write(MAGIC);
                LengthPrefixedText.write(out, version);
                var entries = new HashMap<>(live);
                out.writeInt(entries.size());
                var hash = ByteBuffer.allocate(SpecHash.BYTES);
                for (var entry : entries.entrySet()) {
                    entry.getKey().write(hash.clear());
                    out.write(hash.array());
                    LengthPrefixedText.write(out, CheckedSpecs.kept(entry.getValue()));
                }
                // Only files whose text has its entry here: a stamp is worth nothing without the spec it stands for.
                var files = liveFiles.entrySet().stream().filter(e -> entries.containsKey(e.getValue().hash())).toList();
                out.writeInt(files.size());
                for (var entry : files) {
                    LengthPrefixedText.write(out, entry.getKey());
                    LengthPrefixedText.write(out, entry.getValue().stamp());
                    entry.getValue().hash().write(hash.clear());
                    out.write(hash.array());
                }
                out.flush();
                out.writeLong(crc.getValue()); // not part of the sum: written after it was taken
            }
            move(temporary, file);
            LOG.debugf("wrote %d checked specs to %s", live.size(), file);
        } catch (IOException e) {
            LOG.warnf("cannot write the spec cache %s (%s); the next start checks every spec again", file, e.getMessage());
        } finally {
            if (temporary != null) {
                try {
                    Files.deleteIfExists(temporary);
                } catch (IOException e) {
                    LOG.debugf("cannot delete %s: %s", temporary, e.getMessage());
                }
            }
        }
    }


    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static Contents read(Path file, String version) {
        InputStream raw;
        long size;
        try {
            size = Files.size(file);
            raw = Files.newInputStream(file);
        } catch (NoSuchFileException e) {
            return Contents.empty();
        } catch (IOException e) {
            return ignored(file, "cannot be read: " + e.getMessage());
        }
        var crc = new CRC32();
        try (var in = new DataInputStream(new CheckedInputStream(new BufferedInputStream(raw, 1 << 16), crc))) {
            byte[] magic = in.readNBytes(MAGIC.length);
            if (!Arrays.equals(magic, MAGIC)) {
                if (magic.length >= EARLIER_MAGIC.length && Arrays.equals(magic, 0, EARLIER_MAGIC.length, EARLIER_MAGIC, 0,
                        EARLIER_MAGIC.length)) {
                    LOG.infof("the spec cache %s was written by an earlier release; every spec is checked again and the"
                            + " cache written anew", file);
                    return Contents.empty();
                }
                return ignored(file, "is not a spec cache");
            }
            String madeBy = LengthPrefixedText.read(in, size);
            if (!madeBy.equals(version)) {
                LOG.infof("the spec cache %s was written by another version of the checker; every spec is checked"
                        + " again and the cache written anew", file);
                return Contents.empty();
            }
            // Sized by what the file can hold, not by a count that may be damaged (the sum is checked at the end).
            int count = in.readInt();
            var entries = new ConcurrentHashMap<SpecHash, JobSpec>(capacity(count, size / (SpecHash.BYTES + Integer.BYTES)));
            var forms = new ArrayList<Map.Entry<SpecHash, String>>(Math.min(Math.max(count, 0), READ_TOGETHER));
            for (int i = 0; i < count; i++) {
                forms.add(Map.entry(SpecHash.read(in), LengthPrefixedText.read(in, size)));
                if (forms.size() == READ_TOGETHER) {
                    readBack(forms, entries);
                    forms.clear();
                }
            }
            readBack(forms, entries);
            int fileCount = in.readInt();
            var files = new ConcurrentHashMap<String, Settled>(capacity(fileCount, size / (2 * Integer.BYTES + SpecHash.BYTES)));
            for (int i = 0; i < fileCount; i++) {
                files.put(LengthPrefixedText.read(in, size), new Settled(LengthPrefixedText.read(in, size), SpecHash.read(in)));
            }
            long summed = crc.getValue();
            if (in.readLong() != summed) {
                return ignored(file, "is damaged or cut short (its checksum does not match)");
            }
            if (in.read() != -1) {
                return ignored(file, "has bytes after its last entry");
            }
            LOG.debugf("read %d checked specs and the stamps of %d files from %s", entries.size(), files.size(), file);
            return new Contents(entries, files);
        } catch (EOFException e) {
            return ignored(file, "is damaged or cut short (it ends before its checksum)");
        } catch (IOException e) {
            return ignored(file, "cannot be read: " + e.getMessage());
        } catch (IllegalArgumentException e) {
            return ignored(file, "is malformed (" + e + ")");
        }
    }

    /** A map's initial capacity for {@code count} entries, of which there can be at most {@code most}. */
    private static int capacity(int count, long most) {
        return (int) Math.max(16, Math.min(count, most));
    }

    /**
     * The specs of a batch of kept forms, read back on every core (reading them is most of opening the file). Batches,
     * not the whole file: a batch's forms are dropped young, where the file's were promoted with the specs.
     */
    private static void readBack(List<Map.Entry<SpecHash, String>> forms, Map<SpecHash, JobSpec> entries) {
        (forms.size() > 64 ? forms.parallelStream() : forms.stream())
                .forEach(form -> readable(form.getValue()).ifPresent(spec -> entries.put(form.getKey(), spec)));
    }

    /**
     * The spec of a kept form; empty when the form cannot be read (it is then checked anew from its file, as if it were
     * not kept). Read here, as the file is: keeping the forms until a spec asks for them held the whole file twice.
     */
    private static Optional<JobSpec> readable(String form) {
        try {
            return Optional.of(CheckedSpecs.read(form));
        } catch (IllegalArgumentException e) {
            LOG.debugf("a kept spec of the spec cache is not usable (%s); its file is checked again", e.getMessage());
            return Optional.empty();
        }
    }

    private static Contents ignored(Path file, String why) {
        LOG.warnf("the spec cache %s %s; it is ignored, every spec is checked again and the cache written anew", file, why);
        return Contents.empty();
    }
}
