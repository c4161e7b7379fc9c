package dev.skiff.orchestrator.adapter.ecs;

import dev.skiff.orchestrator.port.TaskLogs;
import dev.skiff.orchestrator.port.TaskLogs.Line;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.GetLogEventsResponse;
import software.amazon.awssdk.services.cloudwatchlogs.model.OutputLogEvent;
import software.amazon.awssdk.services.cloudwatchlogs.model.ResourceNotFoundException;

/**
 * Follows a Fargate task's CloudWatch stream with GetLogEvents, forward from the token of the previous read. A
 * position is the line's event timestamp and how many lines with that timestamp came up to it
 * ({@code c<millis>-<count>}): a follower that comes back starts at that timestamp (GetLogEvents' startTime) and
 * skips the lines it had, so it needs no token, which the service does not keep for long.
 */
final class CloudWatchLogCursor implements TaskLogs.Cursor {

    /** Bounds one read: a burst of output reaches a follower over several polls. */
    static final int MAX_PAGES_PER_READ = 5;

    private static final Pattern POSITION = Pattern.compile("c(\\d{1,15})-(\\d{1,9})");

    private final CloudWatchLogsClient logs;
    private final String group;
    private final String stream;
    private final int pageSize;

    /** The next read's token; null to read from {@link #startTime}. */
    private String forwardToken;
    /** The startTime every read of this cursor sends (a token is valid only with the request it came from). */
    private Long startTime;
    private long timestamp;
    private int atTimestamp;
    /** Lines at {@link #timestamp} a resumed follower already had. */
    private int skip;

    CloudWatchLogCursor(CloudWatchLogsClient logs, String group, String stream, int pageSize) {
        this.logs = logs;
        this.group = group;
        this.stream = stream;
        this.pageSize = pageSize;
    }

    @Override
    public List<Line> tail(int lines) {
        try {
            CloudWatchTaskLogs.Tail tail = CloudWatchTaskLogs.lastEvents(logs, group, stream, lines, pageSize);
            forwardToken = tail.forwardToken();
            List<Line> read = new ArrayList<>();
            tail.events().forEach(event -> read.addAll(take(event)));
            return List.copyOf(read.subList(Math.max(0, read.size() - lines), read.size()));
        } catch (ResourceNotFoundException e) {
            return List.of(); // nothing written yet: the first read starts at the stream's head
        } catch (SdkException e) {
            throw CloudWatchTaskLogs.unreadable(e);
        }
    }

    @Override
    public void resumeAfter(String position) {
        Matcher matcher = POSITION.matcher(position);
        if (!matcher.matches()) {
            throw new IllegalArgumentException("it is not a position in a CloudWatch log stream");
        }
        timestamp = Long.parseLong(matcher.group(1));
        startTime = timestamp;
        atTimestamp = 0;
        skip = Integer.parseInt(matcher.group(2));
        forwardToken = null;
    }

    @Override
    public List<Line> next(boolean last) {
        List<Line> read = new ArrayList<>();
        try {
            for (int page = 0; page < MAX_PAGES_PER_READ; page++) {
                String sent = forwardToken;
                GetLogEventsResponse answer = logs.getLogEvents(r -> r.logGroupName(group).logStreamName(stream)
                        .startFromHead(true).startTime(startTime).limit(pageSize).nextToken(sent));
                answer.events().forEach(event -> read.addAll(take(event)));
                if (answer.nextForwardToken() != null) {
                    forwardToken = answer.nextForwardToken();
                }
                // At the stream's end the service answers with no events and the token it was sent.
                if (answer.events().isEmpty() || forwardToken.equals(sent)) {
                    break;
                }
            }
        } catch (ResourceNotFoundException e) {
            return read; // the task has written nothing yet
        } catch (SdkException e) {
            if (read.isEmpty()) {
                throw CloudWatchTaskLogs.unreadable(e);
            }
            // what was read is returned; the token stands before the page that failed, read again next time
        }
        return read;
    }

    /** The lines of one event the follower has not had, each with the position after it. */
    private List<Line> take(OutputLogEvent event) {
        List<Line> lines = new ArrayList<>();
        for (String text : CloudWatchTaskLogs.lines(event)) {
            if (event.timestamp() != timestamp) {
                timestamp = event.timestamp();
                atTimestamp = 0;
                skip = 0;
            }
            atTimestamp++;
            if (skip > 0) {
                skip--;
                continue;
            }
            lines.add(new Line(text, "c" + timestamp + "-" + atTimestamp));
        }
        return lines;
    }
}
