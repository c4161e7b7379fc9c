package dev.skiff.orchestrator.adapter.local;

import dev.skiff.orchestrator.app.JobCatalog;
import dev.skiff.orchestrator.app.SpecSources;
import dev.skiff.orchestrator.domain.SkiffException;
import dev.skiff.orchestrator.port.JobRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * The embedded default's job registry: every {@code *.yaml}, {@code *.yml} and {@code *.json} file
 * in one directory. {@link #reload()} re-reads only files whose size or modification time changed.
 * A file that turns invalid keeps its last valid version running, and the catalog lists why.
 */
public final class DirectoryJobSource implements JobRegistry {

    private static final Logger LOG = Logger.getLogger(DirectoryJobSource.class);

    private final Path directory;
    private final JobCatalog catalog;
    private final SpecSources sources;

    public DirectoryJobSource(Path directory, JobCatalog catalog) {
        this(directory, catalog, false);
    }

    /** @param runsPipelines whether the engine runs multi-step jobs; if not, specs with steps are refused with why */
    public DirectoryJobSource(Path directory, JobCatalog catalog, boolean runsPipelines) {
        this.directory = directory;
        this.catalog = catalog;
        this.sources = new SpecSources(LOG, runsPipelines);
    }

    @Override
    public synchronized void reload() {
        requireDirectory();
        List<Path> present = specFiles();
        boolean changed = sources.retainOnly(present.stream().map(DirectoryJobSource::display).toList());
        for (Path file : present) {
            changed |= readIfChanged(file);
        }
        if (changed) {
            sources.publish(catalog);
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
            LOG.infof("deleted job %s (%s)", name, source);
        }
        return !existing.isEmpty();
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
            return listing.filter(Files::isRegularFile).filter(DirectoryJobSource::isSpecFile).sorted().toList();
        } catch (IOException e) {
            throw new SkiffException("cannot list the job directory " + directory.toAbsolutePath() + ": " + e.getMessage(), e);
        }
    }

    private static boolean isSpecFile(Path file) {
        String name = file.getFileName().toString();
        return !name.startsWith(".") && (name.endsWith(".yaml") || name.endsWith(".yml") || name.endsWith(".json"));
    }

    private boolean readIfChanged(Path file) {
        String source = display(file);
        try {
            String stamp = Files.getLastModifiedTime(file) + "/" + Files.size(file);
            if (!sources.isStale(source, stamp)) {
                return false;
            }
            sources.update(source, stamp, Files.readString(file, StandardCharsets.UTF_8));
            return true;
        } catch (IOException e) {
            LOG.warnf("cannot read job spec %s: %s", source, e.getMessage());
            return false;
        }
    }

    /** Paths as the user wrote them relative to the working directory, as the validation report shows them. */
    private static String display(Path file) {
        Path cwd = Path.of("").toAbsolutePath();
        Path absolute = file.toAbsolutePath().normalize();
        return absolute.startsWith(cwd) ? cwd.relativize(absolute).toString() : absolute.toString();
    }
}
