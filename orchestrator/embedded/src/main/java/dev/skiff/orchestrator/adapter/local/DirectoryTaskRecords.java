package dev.skiff.orchestrator.adapter.local;

import dev.skiff.orchestrator.domain.SkiffException;
import dev.skiff.orchestrator.port.TaskRecord;
import dev.skiff.orchestrator.port.TaskRecords;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Task records under the data directory, {@code <data dir>/tasks/<run id>/<step>/<attempt>/<kind>-<task id>.json},
 * owner-only, for Step Functions mode with a job directory on disk (one replica, tests, a laptop). Each record is
 * written to a temporary file and moved into place, so a reader never sees half of one.
 */
public final class DirectoryTaskRecords implements TaskRecords {

    /** A run id as Skiff makes them: a path segment that cannot climb out of the folder. */
    private static final Pattern SAFE_RUN_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    private final Path root;

    public DirectoryTaskRecords(Path dataDir) {
        this.root = dataDir.resolve("tasks");
    }

    @Override
    public void keep(String runId, TaskRecord record) {
        Path file = runFolder(runId).resolve(record.name());
        try {
            OwnerOnly.directory(file.getParent());
            Path partial = file.resolveSibling(file.getFileName() + ".partial");
            OwnerOnly.file(partial);
            Files.writeString(partial, record.toJson(), StandardCharsets.UTF_8);
            Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new SkiffException("cannot write the task record " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public List<TaskRecord> of(String runId) {
        Path folder = runFolder(runId);
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        List<TaskRecord> records = new ArrayList<>();
        try (Stream<Path> files = Files.walk(folder)) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".json")).toList()) {
                TaskRecord.fromJson(Files.readString(file, StandardCharsets.UTF_8)).ifPresent(records::add);
            }
        } catch (IOException e) {
            throw new SkiffException("cannot read the task records under " + folder + ": " + e.getMessage(), e);
        }
        return records;
    }

    private Path runFolder(String runId) {
        if (!SAFE_RUN_ID.matcher(runId).matches()) {
            throw new IllegalArgumentException("not a run id: " + runId);
        }
        return root.resolve(runId);
    }
}
