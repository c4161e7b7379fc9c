package dev.skiff.orchestrator.adapter.s3;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.orchestrator.domain.Backfill;
import dev.skiff.orchestrator.domain.SkiffException;
import dev.skiff.orchestrator.port.Backfills;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * Backfills beside the job specs, for AWS mode, where the orchestrator keeps no database and any replica may drive a
 * backfill: one JSON object per backfill, {@code <prefix>.skiff/backfills/open/<id>.json} while it is driven and
 * {@code .../closed/<id>.json} once cancelled or finished, so the driver's tick lists only the open ones. The record
 * holds what was asked; the progress lives in the runs (the Step Functions executions named by the cron run ids), so a
 * replica that dies halfway loses nothing: the next tick of any replica reads the same record and the same runs.
 *
 * <p>Two replicas asked for the same backfill at the same moment both write it, with the same content but their own
 * creation time, and both answer "created"; the last write stays. Nothing else depends on which.
 */
public final class S3Backfills implements Backfills {

    static final String OPEN = ".skiff/backfills/open/";
    static final String CLOSED = ".skiff/backfills/closed/";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final S3Client s3;
    private final S3Location location;

    public S3Backfills(S3Client s3, S3Location location) {
        this.s3 = s3;
        this.location = location;
    }

    @Override
    public Stored create(Backfill backfill) {
        Optional<Backfill> existing = get(backfill.id());
        if (existing.isPresent()) {
            return new Stored(existing.get(), false);
        }
        put(OPEN, backfill);
        return new Stored(backfill, true);
    }

    @Override
    public Optional<Backfill> get(String id) {
        return read(location.key(OPEN + id + ".json")).or(() -> read(location.key(CLOSED + id + ".json")));
    }

    @Override
    public List<Backfill> ofJob(String job) {
        List<Backfill> found = new ArrayList<>();
        for (String folder : List.of(OPEN, CLOSED)) {
            // A backfill id starts with its job's name; another job's name may start the same, so the record decides.
            list(folder, job + "-b-").stream().filter(b -> b.job().equals(job)).forEach(found::add);
        }
        found.sort(Comparator.comparing(Backfill::createdAt).reversed());
        return found;
    }

    @Override
    public List<Backfill> open() {
        List<Backfill> open = new ArrayList<>(list(OPEN, "").stream().filter(Backfill::open).toList());
        open.sort(Comparator.comparing(Backfill::createdAt));
        return open;
    }

    /** A closed backfill is written to its closed key first, then its open key goes: it never vanishes in between. */
    @Override
    public void update(Backfill backfill) {
        if (backfill.open()) {
            put(OPEN, backfill);
            return;
        }
        put(CLOSED, backfill);
        String openKey = location.key(OPEN + backfill.id() + ".json");
        try {
            s3.deleteObject(r -> r.bucket(location.bucket()).key(openKey));
        } catch (SdkException e) {
            throw new SkiffException("cannot delete the backfill " + location.uri(openKey) + ": " + e.getMessage(), e);
        }
    }

    private List<Backfill> list(String folder, String idPrefix) {
        String prefix = location.key(folder + idPrefix);
        List<Backfill> found = new ArrayList<>();
        try {
            s3.listObjectsV2Paginator(r -> r.bucket(location.bucket()).prefix(prefix)).contents()
                    .forEach(o -> read(o.key()).ifPresent(found::add));
        } catch (SdkException e) {
            throw new SkiffException("cannot list the backfills under " + location.uri(prefix) + ": " + e.getMessage(), e);
        }
        return found;
    }

    private void put(String folder, Backfill backfill) {
        String key = location.key(folder + backfill.id() + ".json");
        try {
            s3.putObject(r -> r.bucket(location.bucket()).key(key).contentType("application/json"),
                    RequestBody.fromString(toJson(backfill), StandardCharsets.UTF_8));
        } catch (SdkException e) {
            throw new SkiffException("cannot write the backfill " + location.uri(key) + ": " + e.getMessage(), e);
        }
    }

    /** Empty when the object is not there (closed meanwhile, or never written). */
    private Optional<Backfill> read(String key) {
        try {
            byte[] body = s3.getObjectAsBytes(r -> r.bucket(location.bucket()).key(key)).asByteArray();
            return Optional.of(fromJson(JSON.readTree(body)));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (IOException | RuntimeException e) { // S3 failures, and a record that is not one
            throw new SkiffException("cannot read the backfill " + location.uri(key) + ": " + e.getMessage(), e);
        }
    }

    static String toJson(Backfill b) {
        ObjectNode node = JSON.createObjectNode();
        node.put("id", b.id());
        node.put("job", b.job());
        node.put("schedule", b.schedule());
        node.put("from", b.from().toString());
        node.put("to", b.to().toString());
        node.put("maxConcurrency", b.maxConcurrency());
        node.put("createdAt", b.createdAt().toString());
        node.put("cancelled", b.cancelled());
        node.put("finished", b.finished());
        return node.toString();
    }

    static Backfill fromJson(JsonNode node) {
        return new Backfill(node.required("id").asText(), node.required("job").asText(), node.required("schedule").asInt(),
                Instant.parse(node.required("from").asText()), Instant.parse(node.required("to").asText()),
                node.required("maxConcurrency").asInt(), Instant.parse(node.required("createdAt").asText()),
                node.path("cancelled").asBoolean(false), node.path("finished").asBoolean(false));
    }
}
