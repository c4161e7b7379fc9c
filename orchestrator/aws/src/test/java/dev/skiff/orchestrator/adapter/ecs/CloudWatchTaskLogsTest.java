package dev.skiff.orchestrator.adapter.ecs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skiff.orchestrator.domain.NotFoundException;
import dev.skiff.orchestrator.domain.NotReadyException;
import dev.skiff.orchestrator.port.TaskLogs.Task;
import dev.skiff.testing.MotoServer;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.InputLogEvent;

/** Reads what the awslogs driver wrote, on moto's Logs API, as the log endpoint does for a Fargate attempt. */
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

    private void write(List<String> messages) {
        logs.createLogGroup(r -> r.logGroupName(group));
        logs.createLogStream(r -> r.logGroupName(group).logStreamName(stream));
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
