package dev.skiff.orchestrator.adapter.s3;

import dev.skiff.orchestrator.port.Watermarks;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/** Watermarks beside the job specs: {@code <prefix>.skiff/watermarks/<name>} holding an ISO-8601 instant. */
public final class S3Watermarks implements Watermarks {

    static final String FOLDER = ".skiff/watermarks/";

    private final S3Client s3;
    private final S3Location location;

    public S3Watermarks(S3Client s3, S3Location location) {
        this.s3 = s3;
        this.location = location;
    }

    @Override
    public Optional<Instant> get(String name) {
        try {
            String text = s3.getObjectAsBytes(r -> r.bucket(location.bucket()).key(key(name))).asUtf8String().trim();
            return Optional.of(Instant.parse(text));
        } catch (NoSuchKeyException | DateTimeParseException e) {
            return Optional.empty();
        }
    }

    @Override
    public void put(String name, Instant at) {
        s3.putObject(r -> r.bucket(location.bucket()).key(key(name)), RequestBody.fromString(at.toString(), StandardCharsets.UTF_8));
    }

    private String key(String name) {
        return location.key(FOLDER + name);
    }
}
