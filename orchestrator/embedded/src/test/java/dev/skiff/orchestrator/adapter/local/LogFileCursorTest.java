package dev.skiff.orchestrator.adapter.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skiff.orchestrator.port.TaskLogs;
import dev.skiff.orchestrator.port.TaskLogs.Line;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Following a process launcher's log file while the process writes it. */
class LogFileCursorTest {

    @TempDir
    Path dir;

    @Test
    void aFollowerGetsTheLastCompleteLinesThenEachLineOnceItEnds() throws Exception {
        Path log = Files.writeString(dir.resolve("a.log"), "one\ntwo\r\nthree\n");
        TaskLogs.Cursor cursor = follow(log);

        assertThat(texts(cursor.tail(2))).containsExactly("two", "three");
        assertThat(cursor.next(false)).isEmpty();
        append(log, "four\nfi");
        assertThat(texts(cursor.next(false))).containsExactly("four"); // "fi" is not a line yet
        append(log, "ve\nsix");
        assertThat(texts(cursor.next(false))).containsExactly("five");
        assertThat(texts(cursor.next(true))).containsExactly("six"); // the process ended mid-line
        assertThat(cursor.next(true)).isEmpty();
    }

    @Test
    void aResumedFollowerGetsExactlyWhatCameAfterItsPosition() throws Exception {
        Path log = Files.writeString(dir.resolve("a.log"), "one\ntwö\n\nfour\nfive");
        List<Line> all = follow(log).tail(100);
        List<Line> withLast = new java.util.ArrayList<>(all);
        TaskLogs.Cursor rest = follow(log);
        rest.resumeAfter(all.get(all.size() - 1).position());
        withLast.addAll(rest.next(true));
        assertThat(texts(withLast)).containsExactly("one", "twö", "", "four", "five");

        for (int had = 0; had < withLast.size(); had++) {
            TaskLogs.Cursor again = follow(log);
            again.resumeAfter(withLast.get(had).position());
            assertThat(again.next(true)).as("after line " + had).isEqualTo(withLast.subList(had + 1, withLast.size()));
        }
        TaskLogs.Cursor fromStart = follow(log);
        fromStart.resumeAfter("f0");
        assertThat(fromStart.next(true)).isEqualTo(withLast);
    }

    @Test
    void aPositionThatIsNotALineEndOfThisFileIsRefused() throws Exception {
        Path log = Files.writeString(dir.resolve("a.log"), "one\ntwo\n");
        TaskLogs.Cursor cursor = follow(log);

        assertThatThrownBy(() -> cursor.resumeAfter("f2")).hasMessage("it is not the end of a line of the log");
        assertThatThrownBy(() -> cursor.resumeAfter("f9")).hasMessage("it lies past the end of the log");
        for (String garbled : List.of("", "f", "fx", "f-1", "c12-1", "12", "f123456789012345678901")) {
            assertThatThrownBy(() -> cursor.resumeAfter(garbled)).as(garbled).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("it is not a position in a local log file");
        }
    }

    @Test
    void aLineLongerThanOneReadComesInPiecesInsteadOfStallingTheFollower() throws Exception {
        Path log = Files.writeString(dir.resolve("a.log"), "x".repeat(LogFileCursor.MAX_READ_BYTES + 10));
        TaskLogs.Cursor cursor = follow(log);
        cursor.resumeAfter("f0");

        assertThat(cursor.next(false)).singleElement().satisfies(line -> assertThat(line.text()).hasSize(LogFileCursor.MAX_READ_BYTES));
        assertThat(texts(cursor.next(true))).containsExactly("x".repeat(10));
    }

    @Test
    void onlyARecordedFileIsFollowedHere() {
        assertThat(new LocalTaskLogs().follow(new TaskLogs.Task("job", "main", "arn:task", "/skiff/jobs/job:skiff/job/abc")))
                .isEmpty();
        assertThat(new LocalTaskLogs().follow(new TaskLogs.Task("job", "main", "", ""))).isEmpty();
    }

    private static TaskLogs.Cursor follow(Path log) {
        return new LocalTaskLogs().follow(new TaskLogs.Task("job", "main", "4711", log.toString())).orElseThrow();
    }

    private static void append(Path log, String text) throws Exception {
        Files.writeString(log, text, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    }

    private static List<String> texts(List<Line> lines) {
        return lines.stream().map(Line::text).toList();
    }
}
