package dev.skiff.orchestrator.adapter.local;

import dev.skiff.orchestrator.port.TaskLogs;
import dev.skiff.orchestrator.port.TaskLogs.Line;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Follows a process launcher's log file as it grows. A position is the byte offset just after a line's end
 * ({@code f<offset>}), so a follower that comes back resumes exactly there; one that does not fall on a line end
 * of this file is refused.
 */
final class LogFileCursor implements TaskLogs.Cursor {

    /** Bounds one read: a follower gets a large burst over several polls, never all of it in memory at once. */
    static final int MAX_READ_BYTES = 1 << 20;

    private static final String PREFIX = "f";

    private final Path file;
    private long offset;

    LogFileCursor(Path file) {
        this.file = file;
    }

    @Override
    public List<Line> tail(int lines) {
        try (var in = new RandomAccessFile(file.toFile(), "r")) {
            long end = in.length();
            long start = LogFiles.startOfTail(in, end, lines);
            offset = start;
            List<Line> read = read(in, end, false);
            return List.copyOf(read.subList(Math.max(0, read.size() - lines), read.size()));
        } catch (IOException e) {
            throw new UncheckedIOException("could not read log " + file, e);
        }
    }

    @Override
    public void resumeAfter(String position) {
        long at = parse(position);
        try (var in = new RandomAccessFile(file.toFile(), "r")) {
            if (at > in.length()) {
                throw new IllegalArgumentException("it lies past the end of the log");
            }
            if (at > 0 && at < in.length()) {
                in.seek(at - 1);
                if (in.read() != '\n') {
                    throw new IllegalArgumentException("it is not the end of a line of the log");
                }
            }
            offset = at;
        } catch (IOException e) {
            throw new UncheckedIOException("could not read log " + file, e);
        }
    }

    @Override
    public List<Line> next(boolean last) {
        try (var in = new RandomAccessFile(file.toFile(), "r")) {
            return read(in, in.length(), last);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read log " + file, e);
        }
    }

    /** The lines from the cursor's offset up to {@code end} (at most {@link #MAX_READ_BYTES}), moving past them. */
    private List<Line> read(RandomAccessFile in, long end, boolean last) throws IOException {
        if (end <= offset) {
            return List.of();
        }
        int length = (int) Math.min(MAX_READ_BYTES, end - offset);
        byte[] bytes = new byte[length];
        in.seek(offset);
        in.readFully(bytes);
        List<Line> lines = new ArrayList<>();
        int from = 0;
        for (int i = 0; i < length; i++) {
            if (bytes[i] == '\n') {
                lines.add(line(bytes, from, i, offset + i + 1));
                from = i + 1;
            }
        }
        // The rest has no line end yet: it is the task's last line once it ended, or a line longer than one read.
        boolean cut = from == 0 && length == MAX_READ_BYTES;
        if (from < length && ((last && offset + length == end) || cut)) {
            lines.add(line(bytes, from, length, offset + length));
            from = length;
        }
        offset += from;
        return lines;
    }

    private static Line line(byte[] bytes, int from, int to, long after) {
        int end = to > from && bytes[to - 1] == '\r' ? to - 1 : to;
        return new Line(new String(bytes, from, end - from, StandardCharsets.UTF_8), PREFIX + after);
    }

    private static long parse(String position) {
        if (position.startsWith(PREFIX) && position.length() > PREFIX.length() && position.length() <= 20
                && position.substring(PREFIX.length()).chars().allMatch(c -> c >= '0' && c <= '9')) {
            return Long.parseLong(position.substring(PREFIX.length()));
        }
        throw new IllegalArgumentException("it is not a position in a local log file");
    }
}
