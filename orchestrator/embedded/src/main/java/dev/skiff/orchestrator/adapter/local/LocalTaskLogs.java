package dev.skiff.orchestrator.adapter.local;

import dev.skiff.orchestrator.port.TaskLogs;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** The process launcher's logs: the file it recorded as the attempt's log location. */
public final class LocalTaskLogs implements TaskLogs {

    @Override
    public Optional<List<String>> tail(Task task, int lines) {
        Optional<Path> file = file(task.logLocation());
        return file.map(path -> LogFiles.tail(path, lines));
    }

    @Override
    public Optional<Cursor> follow(Task task) {
        return file(task.logLocation()).map(LogFileCursor::new);
    }

    private static Optional<Path> file(String location) {
        if (location.isBlank()) {
            return Optional.empty();
        }
        try {
            Path path = Path.of(location);
            return Files.isRegularFile(path) ? Optional.of(path) : Optional.empty();
        } catch (InvalidPathException e) { // a CloudWatch location such as group:stream on Windows
            return Optional.empty();
        }
    }
}
