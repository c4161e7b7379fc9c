package dev.skiff.orchestrator.adapter.ecs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.skiff.workflows.StepOutcome;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class TaskStateChangesTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The shape ECS sends (fields Skiff does not read trimmed), as EventBridge delivers it to SQS. */
    private static final String STOPPED = """
            {"version": "0", "id": "3317b2af-7005-947d-b652-f55e762e571a", "detail-type": "ECS Task State Change",
             "source": "aws.ecs", "account": "111122223333", "time": "2026-11-26T02:03:04Z", "region": "us-west-2",
             "resources": ["arn:aws:ecs:us-west-2:111122223333:task/skiff/b8e7a"],
             "detail": {
               "clusterArn": "arn:aws:ecs:us-west-2:111122223333:cluster/skiff",
               "taskArn": "arn:aws:ecs:us-west-2:111122223333:task/skiff/b8e7a",
               "taskDefinitionArn": "arn:aws:ecs:us-west-2:111122223333:task-definition/skiff-etl:3",
               "lastStatus": "STOPPED", "desiredStatus": "STOPPED", "version": 4, "launchType": "FARGATE",
               "capacityProviderName": "FARGATE_SPOT", "cpu": "512", "memory": "1024",
               "stopCode": "EssentialContainerExited", "stoppedReason": "Essential container in task exited",
               "startedBy": "skiff-0123456789abcdef0123456789ab",
               "createdAt": "2026-11-26T02:00:00.123Z", "pullStartedAt": "2026-11-26T02:00:05Z",
               "startedAt": "2026-11-26T02:00:30Z", "stoppedAt": "2026-11-26T02:03:00.5Z",
               "containers": [{"name": "job", "lastStatus": "STOPPED", "exitCode": 3}],
               "overrides": {"containerOverrides": [{"name": "job",
                 "environment": [{"name": "SKIFF_SEALED_TASK_TOKEN", "value": "skiff1.0a1b2c3d.c2VhbGVk"}]}]}
             }}""";

    @Test
    void shouldReadTheTaskDocumentOfAStoppedEventAsDescribeTasksWouldGiveIt() throws Exception {
        // Given an ECS Task State Change event of a task whose container exited 3
        // When it is read
        var change = TaskStateChanges.of(JSON.readTree(STOPPED)).orElseThrow();

        // Then the task reads as DescribeTasks would give it: outcome, version, times, capacity, the override
        assertThat(change.version()).isEqualTo(4);
        assertThat(TaskOutcomes.of(change.task())).contains(new StepOutcome.Exited(3));
        assertThat(change.task().capacityProviderName()).isEqualTo("FARGATE_SPOT");
        assertThat(change.task().stoppedAt()).isEqualTo(Instant.parse("2026-11-26T02:03:00.5Z"));
        assertThat(change.task().overrides().containerOverrides().get(0).environment().get(0).value()).isEqualTo("skiff1.0a1b2c3d.c2VhbGVk");
    }

    @Test
    void shouldIgnoreOtherEventsAndRefuseATaskEventWithoutItsArn() throws Exception {
        assertThat(TaskStateChanges.of(JSON.readTree("{\"source\": \"aws.s3\", \"detail-type\": \"Object Created\"}"))).isEmpty();
        String noArn = STOPPED.replace("\"taskArn\": \"arn:aws:ecs:us-west-2:111122223333:task/skiff/b8e7a\",", "");
        assertThatThrownBy(() -> TaskStateChanges.of(JSON.readTree(noArn))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("detail.taskArn");
        String badTime = STOPPED.replace("2026-11-26T02:03:00.5Z", "yesterday");
        assertThatThrownBy(() -> TaskStateChanges.of(JSON.readTree(badTime))).hasMessage(
                "detail.stoppedAt: yesterday is not an ISO-8601 instant");
    }
}
