package dev.skiff.orchestrator.adapter.local;

import dev.skiff.orchestrator.port.LaunchedTask;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * A file saying that an attempt's process was started, and which one: written right after the process starts and
 * before the launch returns, removed once the attempt's end was reported. The engine records a launch only after it
 * returns, so an orchestrator killed in between restarts with the attempt still waiting to launch; the next launch of
 * that attempt finds the marker and takes over the process it names instead of starting the job a second time.
 *
 * <p>Just before the process starts, the marker says only {@value #LAUNCHING}: an orchestrator killed between the start
 * and the marker naming the process leaves that, and the next launch looks for the process by its command line (which
 * holds the attempt's exit file) instead of starting the job again. Written to a temporary name and renamed, so a
 * reader never sees half of it.
 */
final class StartedMarker {

    private static final Logger LOG = Logger.getLogger(StartedMarker.class);
    static final String LAUNCHING = "launching";

    private StartedMarker() {
    }

    static Path of(AttemptFiles files) {
        return files.exit().resolveSibling(files.exit().getFileName().toString().replace(".exit", ".started"));
    }

    static void write(AttemptFiles files, LaunchedTask task) throws IOException {
        replace(files, task.taskId() + "\n" + task.startedAt().toEpochMilli() + "\n");
    }

    /** Says that the attempt's process is being started, before it is: see the class comment. */
    static void writeLaunching(AttemptFiles files) throws IOException {
        replace(files, LAUNCHING + "\n");
    }

    /** Whether a launch of this attempt was killed between starting its process and naming it. */
    static boolean launching(AttemptFiles files) {
        try {
            return Files.isRegularFile(of(files)) && Files.readString(of(files), StandardCharsets.UTF_8).strip().equals(LAUNCHING);
        } catch (IOException e) {
            return false;
        }
    }

    private static void replace(AttemptFiles files, String text) throws IOException {
        Path marker = of(files);
        Path temporary = marker.resolveSibling(marker.getFileName() + ".tmp");
        Files.writeString(temporary, text, StandardCharsets.UTF_8);
        OwnerOnly.file(temporary);
        Files.move(temporary, marker, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** The task an earlier launch of this attempt started, if its marker is there and readable. */
    static Optional<LaunchedTask> read(AttemptFiles files) {
        Path marker = of(files);
        if (!Files.isRegularFile(marker)) {
            return Optional.empty();
        }
        try {
            List<String> lines = Files.readAllLines(marker, StandardCharsets.UTF_8);
            if (lines.size() == 1 && lines.get(0).equals(LAUNCHING)) {
                return Optional.empty();
            }
            if (lines.size() < 2 || LocalTaskId.parse(lines.get(0)).isEmpty()) {
                LOG.warnf("ignoring an unreadable started marker %s", marker);
                return Optional.empty();
            }
            Instant startedAt = Instant.ofEpochMilli(Long.parseLong(lines.get(1).trim()));
            return Optional.of(new LaunchedTask(lines.get(0), ProcessTaskLauncher.RAN_ON, startedAt, files.log().toString()));
        } catch (IOException | NumberFormatException e) {
            LOG.warnf("ignoring an unreadable started marker %s: %s", marker, e.getMessage());
            return Optional.empty();
        }
    }

    static void remove(AttemptFiles files) {
        try {
            Files.deleteIfExists(of(files));
        } catch (IOException e) {
            LOG.warnf("could not remove %s: %s", of(files), e.getMessage());
        }
    }
}
