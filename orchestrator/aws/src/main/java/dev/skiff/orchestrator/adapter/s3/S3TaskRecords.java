package dev.skiff.orchestrator.adapter.s3;

import dev.skiff.orchestrator.port.TaskRecord;
import dev.skiff.orchestrator.port.TaskRecords;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * Task records beside the job specs: {@code <prefix>.skiff/tasks/<run id>/<step>/<attempt>/<kind>-<task id>.json}.
 * The registry never reads that folder (it reads spec files directly under the prefix); the stack's lifecycle rule
 * expires records after the 90 days Step Functions keeps a finished execution. S3 errors pass through as
 * {@code SdkException}, which the task-events consumer and the reconciler already retry.
 */
public final class S3TaskRecords implements TaskRecords {

    static final String FOLDER = ".skiff/tasks/";

    private final S3Client s3;
    private final S3Location location;

    public S3TaskRecords(S3Client s3, S3Location location) {
        this.s3 = s3;
        this.location = location;
    }

    @Override
    public void keep(String runId, TaskRecord record) {
        s3.putObject(r -> r.bucket(location.bucket()).key(runFolder(runId) + record.name()).contentType("application/json"),
                RequestBody.fromString(record.toJson(), StandardCharsets.UTF_8));
    }

    @Override
    public List<TaskRecord> of(String runId) {
        List<TaskRecord> records = new ArrayList<>();
        s3.listObjectsV2Paginator(r -> r.bucket(location.bucket()).prefix(runFolder(runId))).contents().forEach(object -> {
            try {
                String text = s3.getObjectAsBytes(r -> r.bucket(location.bucket()).key(object.key())).asUtf8String();
                TaskRecord.fromJson(text).ifPresent(records::add);
            } catch (NoSuchKeyException gone) {
                // expired between the listing and the read
            }
        });
        return records;
    }

    private String runFolder(String runId) {
        return location.key(FOLDER + runId + "/");
    }
}
