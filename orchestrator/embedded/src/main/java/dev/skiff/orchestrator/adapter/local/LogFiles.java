package dev.skiff.orchestrator.adapter.local;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/** Reads attempt logs for people: the end of a file that may be large and still growing. */
public final class LogFiles {

    /** Bounds the work for a file of very long lines; the first line returned may then be cut. */
    static final int MAX_TAIL_BYTES = 1 << 20;

    private static final int BLOCK = 8192;

    private LogFiles() {
    }

    /**
     * The last {@code lines} lines of a UTF-8 text file, oldest first, without line terminators;
     * an empty list when the file does not exist yet (the attempt has written nothing).
     */
    public static List<String> tail(Path file, int lines) {
        if (lines < 0) {
            throw new IllegalArgumentException("lines must not be negative, was " + lines);
        }
        if (lines == 0 || !Files.exists(file)) {
            return List.of();
        }
        try (var in = new RandomAccessFile(file.toFile(), "r")) {
            long end = in.length();
            long start = startOfTail(in, end, lines);
            byte[] bytes = new byte[(int) (end - start)];
            in.seek(start);
            in.readFully(bytes);
            String text = new String(bytes, StandardCharsets.UTF_8);
            List<String> all = Arrays.asList(text.split("\r?\n", -1));
            // A final terminator ends the last line; it does not start an empty one.
            if (!all.isEmpty() && all.get(all.size() - 1).isEmpty()) {
                all = all.subList(0, all.size() - 1);
            }
            return List.copyOf(all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            throw new UncheckedIOException("could not read log " + file, e);
        }
    }

    /** Scans backwards for the newline before the wanted lines, ignoring one that ends the file. */
    static long startOfTail(RandomAccessFile in, long end, int lines) throws IOException {
        long limit = Math.max(0, end - MAX_TAIL_BYTES);
        long position = end;
        int newlines = 0;
        byte[] block = new byte[BLOCK];
        while (position > limit) {
            int length = (int) Math.min(BLOCK, position - limit);
            position -= length;
            in.seek(position);
            in.readFully(block, 0, length);
            for (int i = length - 1; i >= 0; i--) {
                if (block[i] == '\n' && position + i != end - 1 && ++newlines == lines) {
                    return position + i + 1;
                }
            }
        }
        return limit;
    }
}
