package dev.skiff.orchestrator.adapter.s3;

import dev.skiff.orchestrator.port.EventMarks;
import java.nio.charset.StandardCharsets;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * Announced events beside the job specs: an empty object {@code <prefix>.skiff/announced/<event id>} per event, which
 * every replica sees. The registry never reads that folder; the stack's lifecycle rule may expire it after the
 * deadline look-back.
 */
public final class S3EventMarks implements EventMarks {

    static final String FOLDER = ".skiff/announced/";

    private final S3Client s3;
    private final S3Location location;

    public S3EventMarks(S3Client s3, S3Location location) {
        this.s3 = s3;
        this.location = location;
    }

    @Override
    public boolean has(String eventId) {
        try {
            s3.headObject(r -> r.bucket(location.bucket()).key(key(eventId)));
            return true;
        } catch (NoSuchKeyException e) {
            return false;
        } catch (software.amazon.awssdk.services.s3.model.S3Exception e) {
            if (e.statusCode() == 404) {
                return false;
            }
            throw e;
        }
    }

    @Override
    public void remember(String eventId) {
        s3.putObject(r -> r.bucket(location.bucket()).key(key(eventId)), RequestBody.fromString("", StandardCharsets.UTF_8));
    }

    private String key(String eventId) {
        return location.key(FOLDER + eventId);
    }
}
