package dev.skiff.orchestrator.adapter.s3;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.orchestrator.port.TaskRecord;
import dev.skiff.orchestrator.port.TaskReport;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

class S3TaskRecordsTest {

    private static final String RUN = "etl-api-20261205T101500-1a2b3c4d";
    private static final Instant T0 = Instant.parse("2026-12-05T10:15:00Z");

    private final S3Client s3 = MotoS3.client(new MotoS3.GetObjectRecorder());
    private final S3Location location = S3Location.parse("s3://" + MotoS3.createBucket(s3) + "/teams/jobs/");
    private final S3TaskRecords records = new S3TaskRecords(s3, location);

    @AfterEach
    void close() {
        s3.close();
    }

    @Test
    void shouldKeepEachTaskOnceBesideTheSpecsAndReadBackOnlyTheRunsOwn() {
        // Given an interrupted task of attempt 1 (kept twice, as a repeated event would) and a failed one of attempt 2
        TaskRecord interrupted = record(1, TaskRecord.Kind.INTERRUPTED, "task/skiff/aaa", "spot", "0.001200");
        TaskRecord failed = record(2, TaskRecord.Kind.FAILED, "task/skiff/bbb", "on-demand", "0.004000");
        records.keep(RUN, interrupted);
        records.keep(RUN, interrupted);
        records.keep(RUN, failed);
        records.keep("etl-api-20261205T101500-ffffffff", record(1, TaskRecord.Kind.FAILED, "task/skiff/ccc", "spot", "1"));
        // and something that is not a record in the run's folder
        s3.putObject(r -> r.bucket(location.bucket()).key(location.key(".skiff/tasks/" + RUN + "/main/1/notes.txt")),
                RequestBody.fromString("a person's note"));

        // When the run's records are read
        // Then they are its two, as kept, under the hidden folder beside the specs
        assertThat(records.of(RUN)).containsExactlyInAnyOrder(interrupted, failed);
        assertThat(records.of("etl-api-20261205T101500-00000000")).isEmpty();
        assertThat(s3.listObjectsV2(r -> r.bucket(location.bucket()).prefix("teams/jobs/.skiff/tasks/" + RUN + "/main/"))
                .contents()).hasSize(3);
    }

    static TaskRecord record(int attempt, TaskRecord.Kind kind, String task, String capacity, String cost) {
        return new TaskRecord("main", attempt, kind, new TaskReport("arn:aws:ecs:us-east-1:123456789012:" + task, capacity,
                Optional.of(T0), Optional.of(T0.plusSeconds(600)), Optional.of(new BigDecimal(cost))));
    }
}
