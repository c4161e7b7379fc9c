package dev.skiff.orchestrator.adapter.s3;

import dev.skiff.orchestrator.app.JobCatalog;
import dev.skiff.orchestrator.app.SpecSources;
import dev.skiff.orchestrator.domain.SkiffException;
import dev.skiff.orchestrator.port.JobRegistry;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jboss.logging.Logger;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * AWS mode's job registry: the specs {@code <name>.yaml} (or {@code .yml}, {@code .json}) directly under an
 * S3 prefix, which every replica reads. {@link #reload()} lists the prefix (ListObjectsV2, 1,000 keys a call)
 * and fetches only keys whose ETag changed, so a replica started from nothing reads every spec once and then
 * only edits. A key that turns invalid keeps its last valid version running, as in the directory registry.
 */
public final class S3JobSource implements JobRegistry {

    private static final Logger LOG = Logger.getLogger(S3JobSource.class);

    private final S3Client s3;
    private final S3Location location;
    private final JobCatalog catalog;
    private final SpecSources sources;

    public S3JobSource(S3Client s3, S3Location location, JobCatalog catalog) {
        this(s3, location, catalog, false);
    }

    /** @param runsPipelines whether the runtime runs multi-step jobs: AWS mode, whose step outputs live beside the specs */
    public S3JobSource(S3Client s3, S3Location location, JobCatalog catalog, boolean runsPipelines) {
        this.sources = new SpecSources(LOG, runsPipelines);
        this.s3 = s3;
        this.location = location;
        this.catalog = catalog;
    }

    @Override
    public synchronized void reload() {
        Map<String, String> etags = listSpecs();
        boolean changed = sources.retainOnly(etags.keySet().stream().map(location::uri).toList());
        for (var entry : etags.entrySet()) {
            String source = location.uri(entry.getKey());
            if (sources.isStale(source, entry.getValue())) {
                changed |= fetch(entry.getKey(), source, entry.getValue());
            }
        }
        if (changed) {
            sources.publish(catalog);
        }
    }

    /** Spec keys directly under the prefix, with their ETags. */
    private Map<String, String> listSpecs() {
        var etags = new TreeMap<String, String>();
        try {
            s3.listObjectsV2Paginator(r -> r.bucket(location.bucket()).prefix(location.prefix())).contents().stream()
                    .filter(o -> isSpecKey(o.key()))
                    .forEach((S3Object o) -> etags.put(o.key(), o.eTag()));
        } catch (SdkException e) {
            throw new SkiffException("cannot list the job registry " + location + ": " + e.getMessage(), e);
        }
        return etags;
    }

    private boolean isSpecKey(String key) {
        String name = key.substring(location.prefix().length());
        return !name.contains("/") && !name.startsWith(".")
                && (name.endsWith(".yaml") || name.endsWith(".yml") || name.endsWith(".json"));
    }

    private boolean fetch(String key, String source, String etag) {
        try {
            // Changed again since the listing? Then this text is newer than its ETag, and the next reload reads it again.
            String text = s3.getObjectAsBytes(r -> r.bucket(location.bucket()).key(key))
                    .asString(StandardCharsets.UTF_8);
            sources.update(source, etag, text);
            return true;
        } catch (NoSuchKeyException e) {
            return false; // deleted since the listing: the next reload forgets it
        } catch (SdkException e) {
            LOG.warnf("cannot read job spec %s: %s", source, e.getMessage());
            return false;
        }
    }

    @Override
    public synchronized void put(String name, String text) {
        List<String> existing = sources.sourcesOf(name);
        String key = existing.isEmpty() ? location.key(name + ".yaml") : keyOf(existing.get(0));
        try {
            s3.putObject(r -> r.bucket(location.bucket()).key(key).contentType("application/yaml"),
                    RequestBody.fromString(text, StandardCharsets.UTF_8));
        } catch (SdkException e) {
            throw new SkiffException("cannot write job spec " + location.uri(key) + ": " + e.getMessage(), e);
        }
        sources.markWritten(location.uri(key));
        LOG.infof("wrote job %s to %s", name, location.uri(key));
    }

    @Override
    public synchronized boolean delete(String name) {
        List<String> keys = new ArrayList<>(sources.sourcesOf(name).stream().map(this::keyOf).toList());
        for (String key : keys) {
            try {
                s3.deleteObject(r -> r.bucket(location.bucket()).key(key));
            } catch (SdkException e) {
                throw new SkiffException("cannot delete job spec " + location.uri(key) + ": " + e.getMessage(), e);
            }
            LOG.infof("deleted job %s (%s)", name, location.uri(key));
        }
        return !keys.isEmpty();
    }

    private String keyOf(String source) {
        return source.substring(location.uri("").length());
    }

    @Override
    public String location() {
        return location.toString();
    }
}
