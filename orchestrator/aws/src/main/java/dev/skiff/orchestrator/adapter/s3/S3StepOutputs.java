package dev.skiff.orchestrator.adapter.s3;

import dev.skiff.orchestrator.port.StepOutputs;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * The outputs of a run's once-running steps, beside the job specs: {@code <prefix>.skiff/steps/<run id>/<step>.json}.
 * Only the orchestrator writes there (a task writes its own output under {@code .skiff/outputs/}, which
 * {@link S3TaskOutputs} reads and checks first), so a job cannot change what a later step reads. The stack's lifecycle
 * rule expires them after 90 days, with the task records.
 */
public final class S3StepOutputs implements StepOutputs {

    static final String FOLDER = ".skiff/steps/";
    private static final String SUFFIX = ".json";

    private final S3Client s3;
    private final S3Location location;

    public S3StepOutputs(S3Client s3, S3Location location) {
        this.s3 = s3;
        this.location = location;
    }

    @Override
    public void keep(String runId, String step, String json) {
        s3.putObject(r -> r.bucket(location.bucket()).key(runFolder(runId) + step + SUFFIX).contentType("application/json"),
                RequestBody.fromString(json, StandardCharsets.UTF_8));
    }

    @Override
    public Map<String, String> of(String runId) {
        Map<String, String> outputs = new HashMap<>();
        String folder = runFolder(runId);
        s3.listObjectsV2Paginator(r -> r.bucket(location.bucket()).prefix(folder)).contents().forEach(object -> {
            String name = object.key().substring(folder.length());
            if (!name.endsWith(SUFFIX) || name.contains("/")) {
                return;
            }
            try {
                outputs.put(name.substring(0, name.length() - SUFFIX.length()),
                        s3.getObjectAsBytes(r -> r.bucket(location.bucket()).key(object.key())).asUtf8String());
            } catch (NoSuchKeyException gone) {
                // expired between the listing and the read
            }
        });
        return outputs;
    }

    private String runFolder(String runId) {
        return location.key(FOLDER + runId + "/");
    }
}
