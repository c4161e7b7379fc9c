package dev.skiff.trigger;

import dev.skiff.jobs.InvalidJobSpecException;
import dev.skiff.jobs.JobSpec;
import dev.skiff.jobs.JobSpecs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Specs shipped with the function (a Lambda layer mounts them under {@code /opt}): the file
 * {@code <dir>/<job>.yaml}, {@code .yml} or {@code .json}. The files cannot change while the
 * function runs, so each is read and validated once.
 */
public final class DirectoryJobSpecSource implements JobSpecSource {

    private static final List<String> EXTENSIONS = List.of(".yaml", ".yml", ".json");

    private final Path directory;
    private final Map<String, Optional<JobSpec>> cache = new ConcurrentHashMap<>();

    public DirectoryJobSpecSource(Path directory) {
        this.directory = directory;
    }

    @Override
    public Optional<JobSpec> find(String job) {
        return cache.computeIfAbsent(job, this::read);
    }

    private Optional<JobSpec> read(String job) {
        for (String extension : EXTENSIONS) {
            Path file = directory.resolve(job + extension);
            if (Files.isRegularFile(file)) {
                JobSpec spec = parse(file);
                return spec.name().equals(job) ? Optional.of(spec) : Optional.empty();
            }
        }
        return Optional.empty();
    }

    private static JobSpec parse(Path file) {
        try {
            return JobSpecs.parse(file.toString(), Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read job spec " + file, e);
        } catch (InvalidJobSpecException e) {
            throw new IllegalStateException("the job spec " + file + " is not valid:\n" + e.getMessage(), e);
        }
    }
}
