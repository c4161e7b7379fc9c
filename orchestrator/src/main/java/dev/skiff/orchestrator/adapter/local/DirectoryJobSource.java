package dev.skiff.orchestrator.adapter.local;

import dev.skiff.jobs.JobSpec;
import dev.skiff.jobs.JobSpecs;
import dev.skiff.jobs.ValidationResult;
import dev.skiff.jobs.Violation;
import dev.skiff.orchestrator.app.JobCatalog;
import dev.skiff.orchestrator.app.RegisteredJob;
import dev.skiff.orchestrator.app.SpecProblem;
import dev.skiff.orchestrator.domain.SkiffException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * The embedded default's job registry: every {@code *.yaml}, {@code *.yml} and {@code *.json} file
 * in one directory. {@link #reload()} re-reads only files whose size or modification time changed.
 * A file that turns invalid keeps its last valid version running, and the catalog lists why.
 */
public final class DirectoryJobSource {

    private static final Logger LOG = Logger.getLogger(DirectoryJobSource.class);

    /** What is known of one file: its stamp when last read, its last valid spec, and its current problems. */
    private record FileState(FileTime modified, long size, Optional<JobSpec> lastValid, List<String> problems) {
    }

    private final Path directory;
    private final JobCatalog catalog;
    private final Map<Path, FileState> files = new HashMap<>();

    public DirectoryJobSource(Path directory, JobCatalog catalog) {
        this.directory = directory;
        this.catalog = catalog;
    }

    /** Reads what changed since the last call and, if anything did, gives the catalog the new set. */
    public synchronized void reload() {
        if (!Files.isDirectory(directory)) {
            throw new SkiffException("the job directory " + directory.toAbsolutePath()
                    + " does not exist (set skiff.jobs.location to a directory of job specs)");
        }
        List<Path> present = specFiles();
        boolean changed = files.keySet().retainAll(present);
        for (Path file : present) {
            changed |= readIfChanged(file);
        }
        if (changed) {
            publish();
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
        FileState before = files.get(file);
        FileTime modified;
        long size;
        String text;
        try {
            modified = Files.getLastModifiedTime(file);
            size = Files.size(file);
            if (before != null && before.modified().equals(modified) && before.size() == size) {
                return false;
            }
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            LOG.warnf("cannot read job spec %s: %s", display(file), e.getMessage());
            return false;
        }
        ValidationResult result = JobSpecs.check(display(file), text);
        Optional<JobSpec> lastValid = before == null ? Optional.empty() : before.lastValid();
        if (result.valid()) {
            files.put(file, new FileState(modified, size, result.spec(), List.of()));
            LOG.infof("%s job %s from %s", before == null ? "loaded" : "reloaded", result.spec().get().name(), display(file));
        } else {
            List<String> problems = result.violations().stream().map(Violation::toString).toList();
            files.put(file, new FileState(modified, size, lastValid, problems));
            LOG.warnf("%s is invalid; %s:%n  %s", display(file),
                    lastValid.map(s -> "job " + s.name() + " keeps running its last valid version").orElse("it is not loaded"),
                    String.join("\n  ", problems));
        }
        return true;
    }

    private void publish() {
        var jobs = new TreeMap<String, RegisteredJob>();
        var problems = new ArrayList<SpecProblem>();
        files.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(entry -> {
            String source = display(entry.getKey());
            FileState state = entry.getValue();
            var fileProblems = new ArrayList<>(state.problems());
            state.lastValid().ifPresent(spec -> {
                RegisteredJob first = jobs.get(spec.name());
                if (first == null) {
                    jobs.put(spec.name(), new RegisteredJob(spec, source));
                } else {
                    fileProblems.add(source + ": name: " + spec.name() + " is already defined in " + first.source()
                            + "; this file is ignored");
                }
            });
            if (!fileProblems.isEmpty()) {
                boolean kept = state.lastValid().map(s -> jobs.get(s.name()).source().equals(source)).orElse(false);
                problems.add(new SpecProblem(source, fileProblems,
                        kept ? state.lastValid().map(JobSpec::name) : Optional.empty()));
            }
        });
        catalog.replace(jobs.values(), problems);
    }

    /** Paths as the user wrote them relative to the working directory, as the validation report shows them. */
    private static String display(Path file) {
        Path cwd = Path.of("").toAbsolutePath();
        Path absolute = file.toAbsolutePath().normalize();
        return absolute.startsWith(cwd) ? cwd.relativize(absolute).toString() : absolute.toString();
    }
}
