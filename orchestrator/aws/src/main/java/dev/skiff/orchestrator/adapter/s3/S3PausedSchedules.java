package dev.skiff.orchestrator.adapter.s3;

import dev.skiff.jobs.Schedule;
import dev.skiff.orchestrator.domain.SkiffException;
import dev.skiff.orchestrator.port.PausedSchedules;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Set;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * Pauses beside the job specs, for AWS mode, where the orchestrator keeps no database and every replica must
 * skip a paused schedule: one object {@code <prefix>.skiff/paused/<sha256 of the pause key>} per pause, holding
 * the key as text for a person who lists them. The registry never reads that folder (it reads spec files
 * directly under the prefix). Each replica lists the folder at most once per refresh interval, on the next
 * question after it passed, so a pause made on one replica holds on the others within that interval.
 */
public final class S3PausedSchedules implements PausedSchedules {

    static final String FOLDER = ".skiff/paused/";

    private final S3Client s3;
    private final S3Location location;
    private final Duration refreshInterval;
    private final Clock clock;
    private Set<String> paused = Set.of();
    private Instant refreshedAt = Instant.MIN;

    public S3PausedSchedules(S3Client s3, S3Location location, Duration refreshInterval, Clock clock) {
        this.s3 = s3;
        this.location = location;
        this.refreshInterval = refreshInterval;
        this.clock = clock;
    }

    @Override
    public synchronized boolean isPaused(String job, Schedule schedule) {
        Instant now = clock.instant();
        if (!now.isBefore(refreshedAt.plus(refreshInterval))) {
            paused = list();
            refreshedAt = now;
        }
        // Most fires find no pause at all: no digest for them (a cron fire at 100,000 schedules is on the hot path).
        return !paused.isEmpty() && paused.contains(key(job, schedule));
    }

    @Override
    public synchronized boolean pause(String job, Schedule schedule) {
        String key = key(job, schedule);
        boolean was = exists(key);
        try {
            s3.putObject(r -> r.bucket(location.bucket()).key(key).contentType("text/plain"),
                    RequestBody.fromString(PausedSchedules.key(job, schedule), StandardCharsets.UTF_8));
        } catch (SdkException e) {
            throw new SkiffException("cannot write the pause " + location.uri(key) + ": " + e.getMessage(), e);
        }
        paused = with(key, true);
        return !was;
    }

    @Override
    public synchronized boolean resume(String job, Schedule schedule) {
        String key = key(job, schedule);
        boolean was = exists(key);
        try {
            s3.deleteObject(r -> r.bucket(location.bucket()).key(key));
        } catch (SdkException e) {
            throw new SkiffException("cannot delete the pause " + location.uri(key) + ": " + e.getMessage(), e);
        }
        paused = with(key, false);
        return was;
    }

    private Set<String> with(String key, boolean present) {
        Set<String> next = new HashSet<>(paused);
        if (present) {
            next.add(key);
        } else {
            next.remove(key);
        }
        return Set.copyOf(next);
    }

    private boolean exists(String key) {
        try {
            s3.headObject(r -> r.bucket(location.bucket()).key(key));
            return true;
        } catch (NoSuchKeyException e) {
            return false;
        } catch (SdkException e) {
            throw new SkiffException("cannot read the pause " + location.uri(key) + ": " + e.getMessage(), e);
        }
    }

    private Set<String> list() {
        try {
            Set<String> keys = new HashSet<>();
            s3.listObjectsV2Paginator(r -> r.bucket(location.bucket()).prefix(location.key(FOLDER))).contents()
                    .forEach(o -> keys.add(o.key()));
            return Set.copyOf(keys);
        } catch (SdkException e) {
            throw new SkiffException("cannot list the schedule pauses under " + location.uri(location.key(FOLDER))
                    + ": " + e.getMessage(), e);
        }
    }

    /** An object key of fixed length and safe characters, whatever the schedule's expression and time zone. */
    private String key(String job, Schedule schedule) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(PausedSchedules.key(job, schedule).getBytes(StandardCharsets.UTF_8));
            return location.key(FOLDER + HexFormat.of().formatHex(digest));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
