package dev.skiff.orchestrator.adapter.local;

import dev.skiff.orchestrator.app.JobCatalog;
import dev.skiff.orchestrator.app.SpecSources;
import dev.skiff.orchestrator.domain.SkiffException;
import dev.skiff.orchestrator.port.CheckedSpecCache;
import dev.skiff.orchestrator.port.JobRegistry;
import dev.skiff.orchestrator.port.BoundedText;
import dev.skiff.jobs.JobSpecs;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import dev.skiff.jobs.ValidationResult;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * The embedded default's job registry: every {@code *.yaml}, {@code *.yml} and {@code *.json} file
 * in one directory. A file that turns invalid keeps its last valid version running, and the catalog lists why.
 *
 * <p>What changed is learned from the file system's change notifications (inotify on Linux, through
 * {@link WatchService}): a reload reads only the files named since the last one. Listing 100,000 files with their
 * sizes and modification times costs about 300 ms of CPU, so doing it every reload kept a core busy; it is done
 * every {@code rescanEvery} only, as a safety net for changes a watch does not report (a network file system,
 * a symbolic link whose target changed, a lost notification), and on every reload where no watch can be had.
 * Either way a file is read only when its size or modification time changed, or it was named by a notification.
 *
 * <p>A file modified within the file system's timestamp granularity of an earlier read (a second on some file
 * systems) may show the same size and time with new content. Files whose modification time is that recent when
 * read are read again on each reload until it is not, as git does for its index.
 */
public final class DirectoryJobSource implements JobRegistry {

    private static final Logger LOG = Logger.getLogger(DirectoryJobSource.class);
    /** How recent a modification time is too recent to trust: coarser than any file system's timestamps here. */
    static final Duration RACY = Duration.ofSeconds(2);
    /** Fewer files than this are read on the reload thread alone. */
    private static final int PARALLEL_FROM = 64;

    private final Path directory;
    private final JobCatalog catalog;
    private final SpecSources sources;
    private final Duration rescanEvery;
    private final Path absoluteDirectory;
    /** How {@link #display} shows the directory: the start of every source's name. */
    private final String displayedDirectory;
    private WatchService watch;
    /** No watch could be had: the directory is listed on every reload, and no watch is tried again. */
    private boolean unwatchable;
    private long nextRescan;
    /** Files to look at on the next reload whatever their stamps say: written here, or modified too recently to trust. */
    private final Set<Path> toRead = new HashSet<>();

    /** A registry that lists the directory on every reload (see {@link #DirectoryJobSource(Path, JobCatalog, boolean, Duration)}). */
    public DirectoryJobSource(Path directory, JobCatalog catalog) {
        this(directory, catalog, false);
    }

    /** @param runsPipelines whether the engine runs multi-step jobs; if not, specs with steps are refused with why */
    public DirectoryJobSource(Path directory, JobCatalog catalog, boolean runsPipelines) {
        this(directory, catalog, runsPipelines, Duration.ZERO);
    }

    /**
     * @param rescanEvery how often the whole directory is listed when change notifications work; zero lists it on
     *                    every reload and watches nothing
     */
    public DirectoryJobSource(Path directory, JobCatalog catalog, boolean runsPipelines, Duration rescanEvery) {
        this(directory, catalog, runsPipelines, rescanEvery, CheckedSpecCache.NONE);
    }

    /** @param cache the specs checked before (by a previous start): a file whose text is there is not checked again */
    public DirectoryJobSource(Path directory, JobCatalog catalog, boolean runsPipelines, Duration rescanEvery,
                              CheckedSpecCache cache) {
        this.directory = directory;
        this.catalog = catalog;
        this.sources = new SpecSources(LOG, runsPipelines, cache);
        this.absoluteDirectory = absolute(directory);
        this.displayedDirectory = display(directory);
        this.rescanEvery = rescanEvery;
    }

    @Override
    public synchronized void reload() {
        requireDirectory();
        Set<Path> named = new TreeSet<>(toRead);
        toRead.clear();
        boolean everything = watchChanges(named) || System.nanoTime() - nextRescan >= 0;
        if (everything) {
            readAll(named);
            nextRescan = System.nanoTime() + rescanEvery.toNanos();
        } else {
            read(named.stream().map(file -> pending(file, true)).flatMap(Optional::stream).toList());
        }
        sources.publish(catalog);
    }

    /**
     * Adds the files named by change notifications since the last call to {@code named}; true when the whole
     * directory must be listed instead: no watch is wanted or can be had, the watch was just started (what changed
     * before it is not known), or notifications were lost.
     */
    private boolean watchChanges(Set<Path> named) {
        if (rescanEvery.isZero() || unwatchable) {
            return true;
        }
        if (watch == null) {
            try {
                watch = directory.getFileSystem().newWatchService();
                directory.register(watch, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_DELETE,
                        StandardWatchEventKinds.ENTRY_MODIFY);
            } catch (IOException | UnsupportedOperationException e) {
                LOG.warnf("cannot watch the job directory %s (%s); listing it on every reload instead",
                        directory.toAbsolutePath(), e.getMessage());
                closeWatch();
                unwatchable = true;
            }
            return true;
        }
        boolean lost = false;
        for (WatchKey key = watch.poll(); key != null; key = watch.poll()) {
            for (WatchEvent<?> event : key.pollEvents()) {
                if (event.kind() == StandardWatchEventKinds.OVERFLOW) {
                    lost = true;
                } else {
                    named.add(absolute(directory.resolve((Path) event.context())));
                }
            }
            if (!key.reset()) { // the directory went or was replaced: watch it anew
                closeWatch();
                return true;
            }
        }
        return lost;
    }

    private void closeWatch() {
        if (watch != null) {
            try {
                watch.close();
            } catch (IOException e) {
                LOG.debugf("closing the directory watch: %s", e.getMessage());
            }
        }
        watch = null;
    }

    /** Lists the directory: forgets the files that went, reads the new and changed ones and those {@code named}. */
    private void readAll(Set<Path> named) {
        List<Path> present = specFiles();
        if (!sources.isEmpty()) { // a first read has nothing to forget: no set of 100,000 names for it
            sources.retainOnly(present.stream().map(this::displayListed).collect(Collectors.toSet()));
        }
        read(present.stream().map(file -> pending(file, named.contains(absolute(file)))).flatMap(Optional::stream).toList());
    }

    /**
     * A spec file to read: new, changed, or not to be trusted.
     *
     * @param settled whether its stamp tells every later change: it was not modified too recently, and no notification
     *                or write named it (the spec cache may then give its spec by the stamp, unread)
     */
    private record Pending(Path file, String source, String stamp, boolean settled) {
    }

    /** What reading and checking a file gave: its check, or nothing if it went meanwhile or could not be read. */
    private record Read(Pending file, Optional<ValidationResult> result, boolean gone) {
    }

    /**
     * Reads and checks the files in parallel (checking is most of the cost of a first read: about 70 us a spec), then
     * gives the outcomes to the sources one by one, in order.
     */
    private void read(List<Pending> files) {
        Stream<Pending> each = files.size() > PARALLEL_FROM ? files.parallelStream() : files.stream();
        for (Read read : each.map(this::check).toList()) {
            if (read.gone()) {
                sources.forget(read.file().source());
            } else {
                read.result().ifPresent(result -> sources.remember(read.file().source(), read.file().stamp(), result));
            }
        }
    }

    private Read check(Pending file) {
        if (file.settled()) {
            // A restart: the files unchanged since the cache was written are not read (100,000 opens and reads were a
            // sixth of it), as a reload trusts the same stamps between two reads.
            Optional<ValidationResult> known = sources.checkUnread(file.source(), file.stamp());
            if (known.isPresent()) {
                return new Read(file, known, false);
            }
        }
        try {
            Optional<String> text;
            try (InputStream in = Files.newInputStream(file.file())) {
                text = BoundedText.read(in, JobSpecs.MAX_TEXT_BYTES);
            }
            String settledStamp = file.settled() ? file.stamp() : null;
            ValidationResult result = text.isPresent() ? sources.check(file.source(), text.get(), settledStamp)
                    : JobSpecs.tooLarge(file.source());
            return new Read(file, Optional.of(result), false);
        } catch (NoSuchFileException e) {
            return new Read(file, Optional.empty(), true);
        } catch (IOException e) {
            LOG.warnf("cannot read job spec %s: %s", file.source(), e.getMessage());
            return new Read(file, Optional.empty(), false);
        }
    }

    /** Writes to a temporary file in the same directory and moves it over the spec, so a reader never sees half a spec. */
    @Override
    public synchronized void put(String name, String text) {
        requireDirectory();
        List<String> existing = sources.sourcesOf(name);
        Path target = existing.isEmpty() ? directory.resolve(name + ".yaml") : Path.of(existing.get(0));
        try {
            Path temporary = Files.createTempFile(directory, "." + name + "-", ".tmp");
            try {
                Files.writeString(temporary, text, StandardCharsets.UTF_8);
                move(temporary, target);
            } finally {
                Files.deleteIfExists(temporary);
            }
        } catch (IOException e) {
            throw new SkiffException("cannot write job spec " + display(target) + ": " + e.getMessage(), e);
        }
        sources.markWritten(display(target));
        toRead.add(absolute(target));
        LOG.infof("wrote job %s to %s", name, display(target));
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    @Override
    public synchronized boolean delete(String name) {
        List<String> existing = sources.sourcesOf(name);
        for (String source : existing) {
            try {
                Files.deleteIfExists(Path.of(source));
            } catch (IOException e) {
                throw new SkiffException("cannot delete job spec " + source + ": " + e.getMessage(), e);
            }
            toRead.add(absolute(Path.of(source)));
            LOG.infof("deleted job %s (%s)", name, source);
        }
        return !existing.isEmpty();
    }

    /** Waits out a reload in progress; then stores the spec cache, if specs changed since its last write. */
    @Override
    public synchronized void close() {
        sources.close();
        closeWatch();
    }

    @Override
    public String location() {
        return directory.toAbsolutePath().toString();
    }

    private void requireDirectory() {
        if (!Files.isDirectory(directory)) {
            throw new SkiffException("the job directory " + directory.toAbsolutePath()
                    + " does not exist (set skiff.jobs.location to a directory of job specs)");
        }
    }

    private List<Path> specFiles() {
        try (Stream<Path> listing = Files.list(directory)) {
            // By name only: each file's attributes are read once, by pending(); the sources keep their own order.
            return listing.filter(DirectoryJobSource::isSpecFile).toList();
        } catch (IOException e) {
            throw new SkiffException("cannot list the job directory " + directory.toAbsolutePath() + ": " + e.getMessage(), e);
        }
    }

    private static boolean isSpecFile(Path file) {
        String name = file.getFileName().toString();
        return !name.startsWith(".") && (name.endsWith(".yaml") || name.endsWith(".yml") || name.endsWith(".json"));
    }

    /**
     * {@code file} if it is to be read: new, changed, too recently modified to trust, or {@code named} (a notification
     * or a write named it: its stamp may not show the change). Forgets it if it is gone or no spec.
     */
    private Optional<Pending> pending(Path file, boolean named) {
        String source = displayListed(file);
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(file, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            sources.forget(source);
            return Optional.empty();
        } catch (IOException e) {
            LOG.warnf("cannot read job spec %s: %s", source, e.getMessage());
            return Optional.empty();
        }
        if (!attributes.isRegularFile() || !isSpecFile(file)) {
            sources.forget(source);
            return Optional.empty();
        }
        // Numbers, not FileTime's ISO text: formatting a date for each of 100,000 files showed in a start's profile.
        long modifiedNanos = attributes.lastModifiedTime().to(java.util.concurrent.TimeUnit.NANOSECONDS);
        String stamp = modifiedNanos + "/" + attributes.size();
        boolean racy = attributes.lastModifiedTime().toMillis() > System.currentTimeMillis() - RACY.toMillis();
        if (racy) {
            toRead.add(absolute(file));
        }
        return sources.isStale(source, stamp) || racy || named
                ? Optional.of(new Pending(file, source, stamp, !racy && !named)) : Optional.empty();
    }

    private static Path absolute(Path file) {
        return file.toAbsolutePath().normalize();
    }

    /**
     * {@link #display} of a file of the directory (as listed, or named by a notification), from the directory's own:
     * relativizing each of 100,000 paths anew cost more than reading its attributes.
     */
    private String displayListed(Path file) {
        if (!directory.equals(file.getParent()) && !absoluteDirectory.equals(file.getParent())) {
            return display(file);
        }
        String name = file.getFileName().toString();
        return displayedDirectory.isEmpty() ? name : displayedDirectory + file.getFileSystem().getSeparator() + name;
    }

    /** A Java process cannot change its working directory; asking for it per file cost 3 KB each at 100,000 files. */
    private static final Path CWD = Path.of("").toAbsolutePath();

    /** Paths as the user wrote them relative to the working directory, as the validation report shows them. */
    private static String display(Path file) {
        Path absolute = file.toAbsolutePath().normalize();
        return absolute.startsWith(CWD) ? CWD.relativize(absolute).toString() : absolute.toString();
    }
}
