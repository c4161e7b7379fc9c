package dev.skiff.orchestrator.adapter.ecs;

import dev.skiff.orchestrator.domain.NotFoundException;
import dev.skiff.orchestrator.domain.NotReadyException;
import dev.skiff.orchestrator.port.TaskLogs;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.GetLogEventsResponse;
import software.amazon.awssdk.services.cloudwatchlogs.model.OutputLogEvent;
import software.amazon.awssdk.services.cloudwatchlogs.model.ResourceNotFoundException;

/**
 * Fargate tasks' output, read back from the CloudWatch Logs stream their awslogs driver writes: the location the
 * launcher recorded ({@code <group>:<stream>}), else the one the job and task ARN name (Step Functions mode records
 * none). Reads backwards from the stream's end, a page at a time, until it has the lines asked for; a follower
 * reads forward from there ({@link CloudWatchLogCursor}).
 */
public final class CloudWatchTaskLogs implements TaskLogs {

    /** The most events one GetLogEvents returns. */
    public static final int MAX_PAGE = 10_000;

    private final CloudWatchLogsClient logs;
    private final String logGroupPrefix;
    private final int pageSize;

    public CloudWatchTaskLogs(CloudWatchLogsClient logs, String logGroupPrefix) {
        this(logs, logGroupPrefix, MAX_PAGE);
    }

    /** @param pageSize the most events asked for per call (tests page with small ones) */
    CloudWatchTaskLogs(CloudWatchLogsClient logs, String logGroupPrefix, int pageSize) {
        this.logs = logs;
        this.logGroupPrefix = logGroupPrefix;
        this.pageSize = pageSize;
    }

    @Override
    public Optional<List<String>> tail(Task task, int lines) {
        Optional<String> location = location(task);
        if (location.isEmpty()) {
            return Optional.empty();
        }
        String group = group(location.get());
        String stream = stream(location.get());
        try {
            List<String> all = lastEvents(logs, group, stream, lines, pageSize).events().stream()
                    .flatMap(event -> lines(event).stream()).toList();
            return Optional.of(List.copyOf(all.subList(Math.max(0, all.size() - lines), all.size())));
        } catch (ResourceNotFoundException e) {
            throw new NotFoundException("CloudWatch Logs has no stream " + stream + " in log group " + group
                    + " (the task has written nothing yet, or its log has expired)");
        } catch (SdkException e) {
            throw unreadable(e);
        }
    }

    @Override
    public Optional<Cursor> follow(Task task) {
        return location(task).map(at -> new CloudWatchLogCursor(logs, group(at), stream(at), pageSize));
    }

    /** A recorded {@code group:stream}, else the awslogs stream of the job's task; none for a task never started. */
    private Optional<String> location(Task task) {
        // Group names and stream names cannot hold a colon: the one colon parts the launcher's group from the stream.
        if (task.logLocation().startsWith(logGroupPrefix + "/") && task.logLocation().indexOf(':') > 0) {
            return Optional.of(task.logLocation());
        }
        if (task.logLocation().isBlank() && !task.taskId().isBlank()) {
            return Optional.of(FargateTaskLauncher.logLocation(logGroupPrefix, task.job(), task.taskId()));
        }
        return Optional.empty();
    }

    private static String group(String location) {
        return location.substring(0, location.indexOf(':'));
    }

    private static String stream(String location) {
        return location.substring(location.indexOf(':') + 1);
    }

    static NotReadyException unreadable(SdkException e) {
        return new NotReadyException("CloudWatch Logs could not be read: " + e.getMessage());
    }

    /** The lines of one event: a multi-line event counts each of its lines. */
    static List<String> lines(OutputLogEvent event) {
        return Arrays.asList(event.message().split("\r?\n"));
    }

    /**
     * The stream's last events, oldest first, holding at least {@code lines} lines when the stream has them, and
     * the forward token that reads what is written after them.
     */
    record Tail(List<OutputLogEvent> events, String forwardToken) {
    }

    /** Reads backwards from the stream's end, a page at a time, until it has the lines asked for. */
    static Tail lastEvents(CloudWatchLogsClient logs, String group, String stream, int lines, int pageSize) {
        List<List<OutputLogEvent>> pages = new ArrayList<>(); // newest page first
        int have = 0;
        String token = null;
        String forward = null;
        while (have < lines) {
            String sent = token;
            int limit = Math.min(pageSize, lines - have);
            GetLogEventsResponse page = logs.getLogEvents(r -> r.logGroupName(group).logStreamName(stream)
                    .startFromHead(false).limit(limit).nextToken(sent));
            if (forward == null) {
                forward = page.nextForwardToken(); // the newest page's: just after the stream's last event
            }
            pages.add(page.events());
            have += page.events().stream().mapToInt(event -> lines(event).size()).sum();
            // The service answers the stream's start with an empty page or the token it was sent.
            if (page.events().isEmpty() || page.nextBackwardToken() == null || page.nextBackwardToken().equals(sent)) {
                break;
            }
            token = page.nextBackwardToken();
        }
        List<OutputLogEvent> all = new ArrayList<>();
        for (int i = pages.size() - 1; i >= 0; i--) {
            all.addAll(pages.get(i));
        }
        return new Tail(List.copyOf(all), forward);
    }
}
