package dev.skiff.orchestrator.adapter.ecs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skiff.jobs.Capacity;
import dev.skiff.orchestrator.app.LogFollow;
import dev.skiff.orchestrator.domain.NotFoundException;
import dev.skiff.orchestrator.domain.NotReadyException;
import dev.skiff.orchestrator.port.TaskLogs;
import dev.skiff.orchestrator.port.TaskLogs.Task;
import dev.skiff.testing.MotoServer;
import dev.skiff.workflows.Attempt;
import dev.skiff.workflows.StepOutcome;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.InputLogEvent;

/**
 * Reads what the awslogs driver wrote, on moto's Logs API, as the log endpoint does for a Fargate attempt: its last
 * lines, and for a follower what is written after them (throttling, which moto cannot produce, through {@link EcsProxy}).
 */
class CloudWatchTaskLogsTest {

    private static final String PREFIX = "/skiff/jobs";
    private static final String TASK_ARN = "arn:aws:ecs:us-east-1:123456789012:task/skiff/0123456789abcdef";

    private final CloudWatchLogsClient logs = client(MotoServer.shared().endpoint());
    private final String job = "nightly-" + UUID.randomUUID().toString().substring(0, 8);
    private final String group = PREFIX + "/" + job;
    private final String stream = "skiff/job/0123456789abcdef"; // <awslogs-stream-prefix>/<container>/<task id>

    @Test
    void readsTheLastLinesOfTheRecordedStreamOldestFirst() {
        write(lines(1, 5));

        var read = new CloudWatchTaskLogs(logs, PREFIX).tail(new Task(job, "main", TASK_ARN, group + ":" + stream), 3);

        assertThat(read).contains(List.of("line 3", "line 4", "line 5"));
    }

    @Test
    void findsTheStreamFromTheTaskArnWhenNoLocationWasRecorded() { // Step Functions mode records none
        write(lines(1, 2));

        var read = new CloudWatchTaskLogs(logs, PREFIX).tail(new Task(job, "extract", TASK_ARN, ""), 200);

        assertThat(read).contains(List.of("line 1", "line 2"));
    }

    @Test
    void pagesBackwardsUntilItHasTheLinesAskedFor() {
        write(lines(1, 10));

        var read = new CloudWatchTaskLogs(logs, PREFIX, 3).tail(new Task(job, "main", TASK_ARN, group + ":" + stream), 8);

        assertThat(read).contains(lines(3, 10));
    }

    @Test
    void stopsAtTheStreamsStartWhenItHoldsFewerLinesThanAsked() {
        write(lines(1, 4));

        var read = new CloudWatchTaskLogs(logs, PREFIX, 3).tail(new Task(job, "main", TASK_ARN, group + ":" + stream), 50);

        assertThat(read).contains(lines(1, 4));
    }

    @Test
    void aMissingStreamIsNotFoundNamingTheGroupAndStream() {
        logs.createLogGroup(r -> r.logGroupName(group));

        assertThatThrownBy(() -> new CloudWatchTaskLogs(logs, PREFIX).tail(new Task(job, "main", TASK_ARN, group + ":" + stream), 10))
                .isInstanceOf(NotFoundException.class).hasMessageContaining(group).hasMessageContaining(stream);
    }

    @Test
    void anUnreachableServiceIsNotReady() {
        var unreachable = client(URI.create("http://127.0.0.1:1"));

        assertThatThrownBy(() -> new CloudWatchTaskLogs(unreachable, PREFIX).tail(new Task(job, "main", TASK_ARN, group + ":" + stream), 10))
                .isInstanceOf(NotReadyException.class).hasMessageStartingWith("CloudWatch Logs could not be read: ");
    }

    @Test
    void aLocalFileOrATaskNeverStartedIsNotItsToAnswer() {
        var cloudWatch = new CloudWatchTaskLogs(logs, PREFIX);

        assertThat(cloudWatch.tail(new Task(job, "main", "", ""), 10)).isEmpty();
        assertThat(cloudWatch.tail(new Task(job, "main", "4711", "/var/lib/skiff/logs/run-1/attempt-1.log"), 10)).isEmpty();
    }

    @Test
    void aFollowerGetsTheLastLinesThenWhatIsWrittenLaterInOrder() throws InterruptedException {
        write(lines(1, 3));
        TaskLogs.Cursor cursor = follow();

        assertThat(texts(cursor.tail(2))).containsExactly("line 2", "line 3");
        assertThat(cursor.next(false)).isEmpty();
        Thread.sleep(5); // later timestamps than the first lines, as a running task's
        append(lines(4, 6));
        assertThat(texts(cursor.next(false))).isEqualTo(lines(4, 6));
        assertThat(cursor.next(false)).isEmpty();
    }

    @Test
    void aFollowerReadsForwardAPageAtATime() {
        write(lines(1, 1));
        TaskLogs.Cursor cursor = new CloudWatchTaskLogs(logs, PREFIX, 2).follow(task()).orElseThrow();
        assertThat(texts(cursor.tail(1))).containsExactly("line 1");
        append(lines(2, 8));

        assertThat(texts(cursor.next(false))).isEqualTo(lines(2, 8));
    }

    @Test
    void aResumedFollowerGetsWhatCameAfterItsPositionEvenAmongLinesOfOneMillisecond() {
        logs.createLogGroup(r -> r.logGroupName(group));
        logs.createLogStream(r -> r.logGroupName(group).logStreamName(stream));
        long at = Instant.now().toEpochMilli();
        logs.putLogEvents(r -> r.logGroupName(group).logStreamName(stream).logEvents(
                InputLogEvent.builder().timestamp(at).message("a").build(),
                InputLogEvent.builder().timestamp(at).message("b\nc").build(), // one event, two lines
                InputLogEvent.builder().timestamp(at).message("d").build(),
                InputLogEvent.builder().timestamp(at + 1).message("e").build()));
        List<TaskLogs.Line> first = follow().tail(100);
        assertThat(texts(first)).containsExactly("a", "b", "c", "d", "e");

        for (int had = 0; had < first.size(); had++) {
            TaskLogs.Cursor again = follow();
            again.resumeAfter(first.get(had).position());
            assertThat(again.next(false)).as("after " + first.get(had).text()).isEqualTo(first.subList(had + 1, first.size()));
        }
    }

    @Test
    void aStreamNotWrittenYetIsAnEmptyLogUntilItsFirstLines() {
        logs.createLogGroup(r -> r.logGroupName(group));
        TaskLogs.Cursor cursor = follow();

        assertThat(cursor.tail(100)).isEmpty();
        assertThat(cursor.next(false)).isEmpty();
        logs.createLogStream(r -> r.logGroupName(group).logStreamName(stream));
        append(lines(1, 2));
        assertThat(texts(cursor.next(false))).isEqualTo(lines(1, 2));
    }

    @Test
    void aPositionThatNoCloudWatchFollowerGaveOutIsRefused() {
        TaskLogs.Cursor cursor = follow();
        for (String garbled : List.of("", "f12", "c12", "c-1", "c1-x", "c1-2-3", "c99999999999999999-1")) {
            assertThatThrownBy(() -> cursor.resumeAfter(garbled)).as(garbled).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("it is not a position in a CloudWatch log stream");
        }
    }

    @Test
    void aFollowOfAFargateAttemptGetsTheLinesWrittenWhileItRunsThenItsEnd() throws InterruptedException {
        write(lines(1, 2));
        AtomicReference<Attempt> attempt = new AtomicReference<>(attempt(Optional.empty()));
        LogFollow follow = new LogFollow(follow(), 1, () -> Optional.of(attempt.get()), () -> "RUNNING", TIMING);
        List<LogFollow.Event> events = new ArrayList<>(follow.start(100, Optional.empty()));

        Thread.sleep(5);
        append(lines(3, 4));
        events.addAll(follow.poll().events());
        attempt.set(attempt(Optional.of(new StepOutcome.Succeeded())));
        Thread.sleep(5);
        append(lines(5, 5)); // written as the task stopped, shown by CloudWatch a moment later
        LogFollow.Poll poll;
        int polls = 0;
        do {
            poll = follow.poll();
            events.addAll(poll.events());
        } while (!poll.done() && ++polls < 5);

        assertThat(poll.done()).isTrue();
        assertThat(events.stream().filter(e -> e instanceof LogFollow.Event.Line).map(e -> ((LogFollow.Event.Line) e).text()))
                .isEqualTo(lines(1, 5));
        assertThat(events.get(events.size() - 1)).isEqualTo(new LogFollow.Event.End("SUCCEEDED", Optional.of(0)));
    }

    @Test
    void aFollowThatCloudWatchKeepsThrottlingEndsWithAnErrorAndDoesNotHang() {
        write(lines(1, 2));
        try (EcsProxy proxy = new EcsProxy(MotoServer.shared().endpoint());
             CloudWatchLogsClient proxied = client(proxy.endpoint())) {
            TaskLogs.Cursor cursor = new CloudWatchTaskLogs(proxied, PREFIX).follow(task()).orElseThrow();
            LogFollow follow = new LogFollow(cursor, 1, () -> Optional.of(attempt(Optional.empty())), () -> "RUNNING", TIMING);
            assertThat(follow.start(100, Optional.empty())).hasSize(2);

            proxy.throttleGetLogEvents();
            List<LogFollow.Poll> polls = new ArrayList<>();
            for (int i = 0; i < 10 && (polls.isEmpty() || !polls.get(polls.size() - 1).done()); i++) {
                polls.add(follow.poll());
            }

            // The reads are retried, each after a longer wait, then the follow ends with the store's words
            assertThat(polls).hasSize(TIMING.readRetries() + 1);
            assertThat(polls.subList(0, TIMING.readRetries())).extracting(LogFollow.Poll::delay)
                    .containsExactly(Duration.ofMillis(20), Duration.ofMillis(40));
            LogFollow.Poll last = polls.get(polls.size() - 1);
            assertThat(last.done()).isTrue();
            assertThat(last.events()).singleElement().isInstanceOfSatisfying(LogFollow.Event.Failure.class, failure ->
                    assertThat(failure.detail()).startsWith("CloudWatch Logs could not be read: ").contains("Rate exceeded"));
        }
    }

    private static final LogFollow.Timing TIMING = new LogFollow.Timing(Duration.ofMillis(10), Duration.ofMillis(40), 2);

    private TaskLogs.Cursor follow() {
        return new CloudWatchTaskLogs(logs, PREFIX).follow(task()).orElseThrow();
    }

    private Task task() {
        return new Task(job, "main", TASK_ARN, group + ":" + stream);
    }

    private Attempt attempt(Optional<StepOutcome> outcome) {
        Instant start = Instant.parse("2026-12-06T00:00:00Z");
        return new Attempt(1, Capacity.ON_DEMAND, TASK_ARN, "on-demand", group + ":" + stream, start,
                start.plusSeconds(3600), Optional.empty(), outcome, outcome.map(o -> start.plusSeconds(60)), Optional.empty());
    }

    private static List<String> texts(List<TaskLogs.Line> lines) {
        return lines.stream().map(TaskLogs.Line::text).toList();
    }

    private void write(List<String> messages) {
        logs.createLogGroup(r -> r.logGroupName(group));
        logs.createLogStream(r -> r.logGroupName(group).logStreamName(stream));
        append(messages);
    }

    /** Writes to the stream as the awslogs driver does, each message a millisecond after the one before. */
    private void append(List<String> messages) {
        long start = Instant.now().toEpochMilli();
        List<InputLogEvent> events = IntStream.range(0, messages.size())
                .mapToObj(i -> InputLogEvent.builder().timestamp(start + i).message(messages.get(i)).build()).toList();
        logs.putLogEvents(r -> r.logGroupName(group).logStreamName(stream).logEvents(events));
    }

    private static List<String> lines(int from, int to) {
        return IntStream.rangeClosed(from, to).mapToObj(i -> "line " + i).toList();
    }

    static CloudWatchLogsClient client(URI endpoint) {
        return CloudWatchLogsClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing")))
                .overrideConfiguration(o -> o.retryStrategy(software.amazon.awssdk.awscore.retry.AwsRetryStrategy.doNotRetry()))
                .build();
    }
}
