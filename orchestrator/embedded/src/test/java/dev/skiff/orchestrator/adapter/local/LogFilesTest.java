package dev.skiff.orchestrator.adapter.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogFilesTest {

    @TempDir
    Path dir;

    @Test
    void shouldReturnLastLinesWhenFileHasMore() throws Exception {
        // Given
        Path log = Files.writeString(dir.resolve("a.log"), "one\ntwo\nthree\nfour\n");

        // When / Then
        assertThat(LogFiles.tail(log, 2)).containsExactly("three", "four");
    }

    @Test
    void shouldReturnAllLinesWhenFileHasFewer() throws Exception {
        Path log = Files.writeString(dir.resolve("a.log"), "one\ntwo\n");

        assertThat(LogFiles.tail(log, 10)).containsExactly("one", "two");
    }

    @Test
    void shouldKeepUnterminatedLastLineWhenProcessIsMidLine() throws Exception {
        Path log = Files.writeString(dir.resolve("a.log"), "one\ntwo\r\nthr");

        assertThat(LogFiles.tail(log, 2)).containsExactly("two", "thr");
    }

    @Test
    void shouldKeepEmptyLinesWhenTheyAreAmongTheLast() throws Exception {
        Path log = Files.writeString(dir.resolve("a.log"), "one\n\n\n");

        assertThat(LogFiles.tail(log, 2)).containsExactly("", "");
    }

    @Test
    void shouldReadAcrossBlocksWhenFileIsLarge() throws Exception {
        // Given: lines that span several of the blocks read backwards
        String text = IntStream.rangeClosed(1, 5000).mapToObj(i -> "line " + i).collect(Collectors.joining("\n", "", "\n"));
        Path log = Files.writeString(dir.resolve("a.log"), text);

        // When / Then
        assertThat(LogFiles.tail(log, 3000)).hasSize(3000).startsWith("line 2001").endsWith("line 5000");
    }

    @Test
    void shouldReturnNothingWhenFileDoesNotExistYet() {
        assertThat(LogFiles.tail(dir.resolve("missing.log"), 5)).isEmpty();
        assertThat(LogFiles.tail(dir.resolve("missing.log"), 0)).isEmpty();
    }
}
