package dev.skiff.orchestrator.app;

import dev.skiff.orchestrator.domain.MalformedRequestException;
import dev.skiff.orchestrator.domain.NotReadyException;
import dev.skiff.orchestrator.port.TaskLogs;
import dev.skiff.workflows.Attempt;
import dev.skiff.workflows.StepOutcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * One follower of one attempt's log: the lines it sends next, when it looks again, and when it is done. It owns no
 * thread: its owner calls {@link #poll()} on a schedule, one call at a time, and sends what it returns.
 * <p>
 * It ends once the attempt has ended (as the run engine says, asked when a read finds nothing new), after one more
 * read a poll interval later, so lines the log store takes a moment to show (CloudWatch) still reach the follower. A store that cannot be read is asked
 * again, each time waiting longer, and after {@link Timing#readRetries()} failures in a row the follow ends with a
 * failure instead of waiting forever.
 */
public final class LogFollow {

    /** What a follower is sent. */
    public sealed interface Event {

        /** One log line; {@code id} resumes after it ({@link #parseId}). */
        record Line(String id, String text) implements Event {
        }

        /** The attempt ended: SUCCEEDED, FAILED, TIMED_OUT or CANCELLED, with its exit code when it had one. */
        record End(String status, Optional<Integer> exitCode) implements Event {
        }

        /** The log could not be read any more; the follow ends. */
        record Failure(String title, String detail) implements Event {
        }
    }

    /** The events of one poll, whether the follow is done, and when to poll again. */
    public record Poll(List<Event> events, boolean done, Duration delay) {
    }

    /**
     * @param interval     the delay between polls while lines arrive
     * @param idleInterval the longest delay: polls that find nothing back off to it
     * @param readRetries  failed reads in a row before the follow ends with a failure
     */
    public record Timing(Duration interval, Duration idleInterval, int readRetries) {
    }

    /** Where a follower stood: which attempt, and the cursor's position after the last line it had. */
    public record Resume(int attempt, String position) {
    }

    private final TaskLogs.Cursor cursor;
    private final int attempt;
    private final Supplier<Optional<Attempt>> current;
    private final Supplier<String> runStatus;
    private final Timing timing;
    private Duration delay;
    private int failures;
    private boolean draining;

    /**
     * @param current   the followed attempt as the engine has it now; empty when it has gone (the run was deleted)
     * @param runStatus the run's status, used when the attempt has gone
     */
    public LogFollow(TaskLogs.Cursor cursor, int attempt, Supplier<Optional<Attempt>> current,
                     Supplier<String> runStatus, Timing timing) {
        this.cursor = cursor;
        this.attempt = attempt;
        this.current = current;
        this.runStatus = runStatus;
        this.timing = timing;
        this.delay = timing.interval();
    }

    /**
     * The first events: the last {@code lines} lines, or none after a resume (the first poll reads on from there).
     * Throws {@link MalformedRequestException} for a position this log never gave out.
     */
    public List<Event> start(int lines, Optional<Resume> resume) {
        if (resume.isPresent()) {
            try {
                cursor.resumeAfter(resume.get().position());
            } catch (IllegalArgumentException e) {
                throw new MalformedRequestException("Last-Event-ID: " + id(resume.get().attempt(), resume.get().position())
                        + " is not a position in the log of attempt " + attempt + ": " + e.getMessage());
            }
            return List.of();
        }
        return lines(cursor.tail(lines));
    }

    /** Reads what was written since the last poll; never throws. */
    public Poll poll() {
        try {
            List<Event> events = new ArrayList<>(lines(cursor.next(draining)));
            failures = 0;
            if (draining) {
                events.add(end(current.get()));
                return new Poll(events, true, Duration.ZERO);
            }
            if (!events.isEmpty()) {
                delay = timing.interval();
                return new Poll(events, false, delay);
            }
            // Only a quiet log asks the engine whether the attempt ended: a Step Functions engine answers from
            // execution histories, whose reads are rationed per account, and a task that writes is still running.
            if (current.get().map(a -> !a.isRunning()).orElse(true)) {
                draining = true;
                delay = timing.interval();
            } else {
                delay = longer(delay);
            }
            return new Poll(events, false, delay);
        } catch (NotReadyException e) {
            if (++failures > timing.readRetries()) {
                return failed("The log could not be read", e.getMessage());
            }
            delay = longer(delay);
            return new Poll(List.of(), false, delay);
        } catch (RuntimeException e) {
            return failed("The log could not be read", String.valueOf(e.getMessage()));
        }
    }

    /** An event id: the attempt, then the cursor's position. */
    public static String id(int attempt, String position) {
        return attempt + "." + position;
    }

    /** The attempt and position an event id names, or a 400 naming the header when it is not one. */
    public static Resume parseId(String id) {
        int dot = id.indexOf('.');
        if (dot > 0 && dot <= 9 && dot < id.length() - 1 && id.length() <= 100
                && id.substring(0, dot).chars().allMatch(c -> c >= '0' && c <= '9')) {
            int attempt = Integer.parseInt(id.substring(0, dot));
            if (attempt >= 1) {
                return new Resume(attempt, id.substring(dot + 1));
            }
        }
        String shown = id.length() > 100 ? id.substring(0, 100) + "..." : id;
        throw new MalformedRequestException("Last-Event-ID: " + shown + " is not an id this log sent (send back the id"
                + " of the last event received, unchanged)");
    }

    private Duration longer(Duration now) {
        Duration doubled = now.multipliedBy(2);
        return doubled.compareTo(timing.idleInterval()) > 0 ? timing.idleInterval() : doubled;
    }

    private List<Event> lines(List<TaskLogs.Line> read) {
        return read.stream().<Event>map(line -> new Event.Line(id(attempt, line.position()), line.text())).toList();
    }

    private Event end(Optional<Attempt> now) {
        if (now.isEmpty() || now.get().outcome().isEmpty()) {
            return new Event.End(runStatus.get(), Optional.empty());
        }
        return new Event.End(status(now.get().outcome().get()), now.get().exitCode());
    }

    private static Poll failed(String title, String detail) {
        return new Poll(List.of(new Event.Failure(title, detail)), true, Duration.ZERO);
    }

    /** An attempt's outcome in the words of run statuses. */
    static String status(StepOutcome outcome) {
        if (outcome instanceof StepOutcome.Succeeded) {
            return "SUCCEEDED";
        }
        if (outcome instanceof StepOutcome.TimedOut) {
            return "TIMED_OUT";
        }
        return outcome instanceof StepOutcome.Cancelled ? "CANCELLED" : "FAILED";
    }
}
