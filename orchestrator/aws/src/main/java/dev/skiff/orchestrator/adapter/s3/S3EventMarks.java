package dev.skiff.orchestrator.adapter.s3;

import dev.skiff.orchestrator.port.EventMarks;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Announced events beside the job specs: an object {@code <prefix>.skiff/announced/<event id>} per event, which every
 * replica sees. The registry never reads that folder; the stack's lifecycle rule may expire it after the deadline
 * look-back.
 *
 * <p>A replica claims an event before it announces it by creating that object with S3's conditional write
 * ({@code If-None-Match: *}), marked {@value #CLAIMED} in its metadata: of two replicas racing, S3 lets one create it.
 * The announcement then rewrites it without the mark. A claim older than its lease (the claimant died before
 * announcing) is taken over by a conditional rewrite of the very object seen ({@code If-Match} on its ETag), so again
 * only one replica wins it. Marks written before claims existed are plain empty objects: announced.
 */
public final class S3EventMarks implements EventMarks {

    static final String FOLDER = ".skiff/announced/";
    /** How long a claim holds off other replicas: far more than one PutEvents and the notifications take. */
    static final Duration CLAIM_LEASE = Duration.ofMinutes(5);
    private static final String STATE = "skiff-state";
    private static final String CLAIMED = "claimed";

    private final S3Client s3;
    private final S3Location location;
    private final Clock clock;
    private final Duration lease;

    public S3EventMarks(S3Client s3, S3Location location) {
        this(s3, location, Clock.systemUTC(), CLAIM_LEASE);
    }

    S3EventMarks(S3Client s3, S3Location location, Clock clock, Duration lease) {
        this.s3 = s3;
        this.location = location;
        this.clock = clock;
        this.lease = lease;
    }

    @Override
    public boolean has(String eventId) {
        return head(eventId).filter(mark -> !staleClaim(mark)).isPresent();
    }

    @Override
    public boolean claim(String eventId) {
        if (put(eventId, Map.of(STATE, CLAIMED), Optional.empty())) {
            return true;
        }
        // Someone wrote it first: a live claim or an announcement stands; a claim its claimant left is taken over.
        Optional<HeadObjectResponse> seen = head(eventId);
        if (seen.isEmpty()) {
            return put(eventId, Map.of(STATE, CLAIMED), Optional.empty());
        }
        return staleClaim(seen.get()) && put(eventId, Map.of(STATE, CLAIMED), Optional.of(seen.get().eTag()));
    }

    @Override
    public void remember(String eventId) {
        s3.putObject(r -> r.bucket(location.bucket()).key(key(eventId)), RequestBody.fromString("", StandardCharsets.UTF_8));
    }

    private boolean staleClaim(HeadObjectResponse mark) {
        return CLAIMED.equals(mark.metadata().get(STATE)) && mark.lastModified() != null
                && mark.lastModified().plus(lease).isBefore(clock.instant());
    }

    /**
     * Writes the mark only if it is absent ({@code replacing} empty) or still the object of that ETag; false when S3
     * refuses because another writer got there first (412, or 409 for a conditional write racing another).
     */
    private boolean put(String eventId, Map<String, String> metadata, Optional<String> replacing) {
        try {
            s3.putObject(r -> {
                r.bucket(location.bucket()).key(key(eventId)).metadata(metadata);
                replacing.ifPresentOrElse(r::ifMatch, () -> r.ifNoneMatch("*"));
            }, RequestBody.fromString("", StandardCharsets.UTF_8));
            return true;
        } catch (S3Exception e) {
            if (e.statusCode() == 412 || e.statusCode() == 409) {
                return false;
            }
            throw e;
        }
    }

    private Optional<HeadObjectResponse> head(String eventId) {
        try {
            return Optional.of(s3.headObject(r -> r.bucket(location.bucket()).key(key(eventId))));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }

    private String key(String eventId) {
        return location.key(FOLDER + eventId);
    }
}
