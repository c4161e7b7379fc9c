package dev.skiff.orchestrator.adapter.local;

import dev.skiff.orchestrator.port.CheckedSpecCache;
import dev.skiff.orchestrator.port.LengthPrefixedText;
import dev.skiff.orchestrator.port.SpecHash;
import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.CRC32;
import java.util.zip.CheckedOutputStream;
import org.jboss.logging.Logger;

/**
 * The checked specs kept in one file of the data directory, read once at start and written whole, atomically (a
 * temporary file moved over it): after the first load, then at most every {@code writeEvery} while specs change, and
 * at a clean shutdown ({@link #close}) if specs changed since the last write.
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
 */
public final class SpecCacheFile implements CheckedSpecCache {

    private static final Logger LOG = Logger.getLogger(SpecCacheFile.class);
    private static final byte[] MAGIC = "skiff checked specs 2\n".getBytes(StandardCharsets.US_ASCII);
    /** The magic line of the layout before files' stamps were recorded. */
    private static final byte[] EARLIER_MAGIC = "skiff checked specs\n".getBytes(StandardCharsets.US_ASCII);

    private final Path file;
    private final String version;
    private final Duration writeEvery;
    /** Entries read from the file that no spec asked for yet. */
    private final Map<SpecHash, String> stored;
    /** Entries asked for or kept since the start: what the next write holds. */
    private final Map<SpecHash, String> live = new ConcurrentHashMap<>();
    /** Which text each file held at which stamp, as read from the file; and as asked for or recorded since the start. */
    private final Map<String, Settled> storedFiles;
    private final Map<String, Settled> liveFiles = new ConcurrentHashMap<>();
    private volatile boolean changed;
    private boolean flushedOnce;
    private long lastWrite;

    /** A file's stamp when it held the text of {@code hash}. */
    private record Settled(String stamp, SpecHash hash) {
    }

    /** What a cache file holds. */
    private record Contents(ConcurrentHashMap<SpecHash, String> entries, ConcurrentHashMap<String, Settled> files) {
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
    public Optional<String> find(SpecHash hash) {
        String form = live.get(hash);
        if (form == null) {
            form = stored.remove(hash);
            if (form != null) {
                live.put(hash, form);
            }
        }
        return Optional.ofNullable(form);
    }

    @Override
    public void keep(SpecHash hash, String kept) {
        live.put(hash, kept);
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

    /** The first flush drops what no spec asked for (files deleted or changed while Skiff was down). */
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
        if (!flushedOnce) {
            changed |= !stored.isEmpty() || !storedFiles.isEmpty();
            stored.clear();
            storedFiles.clear();
        } else if (!whateverTheTime && System.nanoTime() - lastWrite < writeEvery.toNanos()) {
            return;
        }
        flushedOnce = true;
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
                    LengthPrefixedText.write(out, entry.getValue());
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
        byte[] all;
        try {
            all = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return Contents.empty();
        } catch (IOException e) {
            return ignored(file, "cannot be read: " + e.getMessage());
        }
        try {
            ByteBuffer in = ByteBuffer.wrap(all);
            int summed = all.length - Long.BYTES;
            if (summed < MAGIC.length || !Arrays.equals(all, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
                if (all.length >= EARLIER_MAGIC.length && Arrays.equals(all, 0, EARLIER_MAGIC.length, EARLIER_MAGIC, 0,
                        EARLIER_MAGIC.length)) {
                    LOG.infof("the spec cache %s was written by an earlier release; every spec is checked again and the"
                            + " cache written anew", file);
                    return Contents.empty();
                }
                return ignored(file, "is not a spec cache");
            }
            var crc = new CRC32();
            crc.update(all, 0, summed);
            if (in.getLong(summed) != crc.getValue()) {
                return ignored(file, "is damaged or cut short (its checksum does not match)");
            }
            in.position(MAGIC.length).limit(summed);
            String madeBy = LengthPrefixedText.read(in);
            if (!madeBy.equals(version)) {
                LOG.infof("the spec cache %s was written by another version of the checker; every spec is checked"
                        + " again and the cache written anew", file);
                return Contents.empty();
            }
            int count = in.getInt();
            ConcurrentHashMap<SpecHash, String> entries = new ConcurrentHashMap<>(Math.max(16, count));
            for (int i = 0; i < count; i++) {
                entries.put(SpecHash.read(in), LengthPrefixedText.read(in));
            }
            int fileCount = in.getInt();
            ConcurrentHashMap<String, Settled> files = new ConcurrentHashMap<>(Math.max(16, fileCount));
            for (int i = 0; i < fileCount; i++) {
                files.put(LengthPrefixedText.read(in), new Settled(LengthPrefixedText.read(in), SpecHash.read(in)));
            }
            if (in.hasRemaining()) {
                return ignored(file, "has bytes after its last entry");
            }
            LOG.debugf("read %d checked specs and the stamps of %d files from %s", entries.size(), files.size(), file);
            return new Contents(entries, files);
        } catch (BufferUnderflowException | IllegalArgumentException | IndexOutOfBoundsException e) {
            return ignored(file, "is malformed (" + e + ")");
        }
    }


    private static Contents ignored(Path file, String why) {
        LOG.warnf("the spec cache %s %s; it is ignored, every spec is checked again and the cache written anew", file, why);
        return Contents.empty();
    }
}
