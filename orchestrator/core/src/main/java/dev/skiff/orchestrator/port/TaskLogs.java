package dev.skiff.orchestrator.port;

import java.util.List;
import java.util.Optional;

/**
 * Where an attempt's output can be read back: local files for the process launcher, CloudWatch Logs for Fargate.
 * The API asks it for the end of one attempt's log, so a person sees a task's output wherever it ran, and for a
 * {@link Cursor} that reads the log forward as the task writes it.
 */
public interface TaskLogs {

    /**
     * One attempt's task, as the engine recorded it.
     *
     * @param job         the job the task ran for
     * @param step        the pipeline step ({@code main} for a single-step job)
     * @param taskId      its task id or ARN; may be blank when the task never started
     * @param logLocation where the launcher said its output goes; blank when the engine did not record it
     */
    record Task(String job, String step, String taskId, String logLocation) {
    }

    /**
     * The last {@code lines} lines of the task's output, oldest first; empty when this runtime keeps no log for it.
     * Throws {@link dev.skiff.orchestrator.domain.NotFoundException} when the log it names does not exist, and
     * {@link dev.skiff.orchestrator.domain.NotReadyException} when the store holding it cannot be read now.
     */
    Optional<List<String>> tail(Task task, int lines);

    /**
     * A cursor over the task's output for one follower; empty when this runtime keeps no log for it. A log that
     * has not been written yet is not an error here: its follower waits for the first lines.
     */
    default Optional<Cursor> follow(Task task) {
        return Optional.empty();
    }

    /** This store's answer, else {@code other}'s: an attempt's log may be a local file or in CloudWatch. */
    default TaskLogs or(TaskLogs other) {
        TaskLogs mine = this;
        return new TaskLogs() {
            @Override
            public Optional<List<String>> tail(Task task, int lines) {
                Optional<List<String>> found = mine.tail(task, lines);
                return found.isPresent() ? found : other.tail(task, lines);
            }

            @Override
            public Optional<Cursor> follow(Task task) {
                Optional<Cursor> found = mine.follow(task);
                return found.isPresent() ? found : other.follow(task);
            }
        };
    }

    /** One line of output and the position just after it, which the cursor that gave it can resume from. */
    record Line(String text, String position) {
    }

    /**
     * Reads one task's log forward, for one follower, one call at a time. Positions are the cursor's own words
     * (a file offset, a CloudWatch timestamp and count): opaque to everyone else, checked when they come back.
     * Reads throw {@link dev.skiff.orchestrator.domain.NotReadyException} when the store cannot be read now
     * (throttled, unreachable); the same call later may succeed.
     */
    interface Cursor {

        /** The last {@code lines} complete lines, oldest first; the cursor then stands after the last of them. */
        List<Line> tail(int lines);

        /**
         * Stands the cursor after {@code position}, one this kind of cursor gave out for this log.
         *
         * @throws IllegalArgumentException naming the rule when {@code position} cannot be one
         */
        void resumeAfter(String position);

        /**
         * The complete lines written since the cursor's position, oldest first, and stands after them. With
         * {@code last} (the task has ended) a final line that has no line end yet is returned too.
         */
        List<Line> next(boolean last);
    }
}
