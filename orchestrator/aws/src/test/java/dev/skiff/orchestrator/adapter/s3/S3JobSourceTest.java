package dev.skiff.orchestrator.adapter.s3;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.jobs.JobSpecs;
import dev.skiff.orchestrator.app.JobCatalog;
import dev.skiff.orchestrator.app.RegisteredJob;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/** The S3 registry on moto: a bucket of its own per test, specs under the prefix {@code teams/jobs/}. */
class S3JobSourceTest {

    private final MotoS3.GetObjectRecorder gets = new MotoS3.GetObjectRecorder();
    private final S3Client s3 = MotoS3.client(gets);
    private final JobCatalog catalog = new JobCatalog();
    private final AtomicInteger published = new AtomicInteger();
    private S3Location location;
    private S3JobSource source;

    @BeforeEach
    void createRegistry() {
        location = S3Location.parse("s3://" + MotoS3.createBucket(s3) + "/teams/jobs");
        catalog.onChange(snapshot -> published.incrementAndGet());
        source = new S3JobSource(s3, location, catalog);
    }

    @AfterEach
    void closeClient() {
        s3.close();
    }

    static String spec(String name, String image) {
        return """
                name: %s
                owner: test-team
                image: %s
                command: ["true"]
                """.formatted(name, image);
    }

    private void put(String fileName, String text) {
        s3.putObject(r -> r.bucket(location.bucket()).key(location.key(fileName)), RequestBody.fromString(text));
    }

    private RegisteredJob job(JobCatalog from, String name) {
        return Optional.ofNullable(from.snapshot().jobs().get(name))
                .orElseThrow(() -> new AssertionError("no job " + name + " in " + from.snapshot().jobs().keySet()));
    }

    @Test
    void shouldLoadEverySpecUnderThePrefixWhenReadFirst() {
        // Given a YAML and a JSON spec under the prefix, and objects that are not specs of this prefix
        put("alpha.yaml", spec("alpha", "example/alpha:1"));
        put("beta.json", """
                {"name": "beta", "owner": "test-team", "image": "example/beta:1", "command": ["true"]}""");
        put("notes.txt", "not a spec");
        put("archive/old.yaml", spec("old", "example/old:1"));
        s3.putObject(r -> r.bucket(location.bucket()).key("elsewhere.yaml"), RequestBody.fromString(spec("gone", "x/y:1")));

        // When the source reads the registry
        source.reload();

        // Then the two jobs are in the catalog, named by their S3 URIs, and nothing is reported
        assertThat(catalog.snapshot().jobs()).containsOnlyKeys("alpha", "beta");
        assertThat(job(catalog, "alpha").source()).isEqualTo(location.uri("teams/jobs/alpha.yaml"));
        assertThat(catalog.snapshot().problems()).isEmpty();
        assertThat(published).hasValue(1);
    }

    @Test
    void shouldFetchOnlyTheChangedKeyWhenOneSpecChanges() {
        // Given three loaded jobs
        put("alpha.yaml", spec("alpha", "example/alpha:1"));
        put("beta.yaml", spec("beta", "example/beta:1"));
        put("gamma.yaml", spec("gamma", "example/gamma:1"));
        source.reload();
        gets.clear();

        // When one spec changes and the source reloads twice
        put("beta.yaml", spec("beta", "example/beta:2"));
        source.reload();
        source.reload();

        // Then only that key was fetched, once, and the catalog has its new version
        assertThat(gets.keys()).containsExactly("teams/jobs/beta.yaml");
        assertThat(job(catalog, "beta").spec().image()).isEqualTo("example/beta:2");
        assertThat(published).hasValue(2);
    }

    @Test
    void shouldKeepTheLastValidVersionWhenASpecTurnsInvalid() {
        // Given a loaded job
        put("alpha.yaml", spec("alpha", "example/alpha:1"));
        source.reload();

        // When its spec turns invalid
        put("alpha.yaml", spec("alpha", "example/alpha:2") + "resources: {cpu: 1024, memory: 16384}\n");
        source.reload();

        // Then the job keeps its last valid version, and the problem names the key and the field
        assertThat(job(catalog, "alpha").spec().image()).isEqualTo("example/alpha:1");
        assertThat(catalog.snapshot().problems()).singleElement().satisfies(problem -> {
            assertThat(problem.source()).isEqualTo(location.uri("teams/jobs/alpha.yaml"));
            assertThat(problem.keptJob()).contains("alpha");
            assertThat(problem.problems()).singleElement().asString()
                    .contains("resources.memory: 16384 is not valid with cpu 1024");
        });
    }

    @Test
    void shouldRemoveTheJobWhenItsSpecIsDeleted() {
        // Given two loaded jobs
        put("alpha.yaml", spec("alpha", "example/alpha:1"));
        put("beta.yaml", spec("beta", "example/beta:1"));
        source.reload();

        // When one job is deleted through the registry
        boolean deleted = source.delete("alpha");
        source.reload();

        // Then its key is gone and the catalog holds only the other
        assertThat(deleted).isTrue();
        assertThat(s3.listObjectsV2(r -> r.bucket(location.bucket())).contents()).extracting(o -> o.key())
                .containsExactly("teams/jobs/beta.yaml");
        assertThat(catalog.snapshot().jobs()).containsOnlyKeys("beta");
        assertThat(source.delete("alpha")).isFalse();
    }

    @Test
    void shouldRebuildTheSameCatalogWhenASecondReplicaStartsFromNothing() {
        // Given a registry written through the first replica: one job put new, one replaced
        put("alpha.yaml", spec("alpha", "example/alpha:1"));
        source.reload();
        source.put("alpha", spec("alpha", "example/alpha:2"));
        source.put("beta", spec("beta", "example/beta:1"));
        source.reload();

        // When a second replica starts with an empty catalog and reads the registry
        JobCatalog second = new JobCatalog();
        new S3JobSource(s3, location, second).reload();

        // Then it sees the same jobs, in the same versions, from the same keys
        assertThat(second.snapshot().jobs()).containsOnlyKeys("alpha", "beta");
        assertThat(job(second, "alpha").spec().image()).isEqualTo("example/alpha:2");
        assertThat(job(second, "beta").source()).isEqualTo(location.uri("teams/jobs/beta.yaml"));
        assertThat(second.snapshot().jobs()).isEqualTo(catalog.snapshot().jobs());
    }

    @Test
    void shouldReadTheBucketAndPrefixWhenTheLocationIsParsed() {
        // Given / When / Then
        assertThat(S3Location.parse("s3://my-bucket/a/b/")).isEqualTo(new S3Location("my-bucket", "a/b/"));
        assertThat(S3Location.parse("s3://my-bucket/a/b")).isEqualTo(new S3Location("my-bucket", "a/b/"));
        assertThat(S3Location.parse("s3://my-bucket")).isEqualTo(new S3Location("my-bucket", ""));
        assertThat(S3Location.isS3("jobs/examples")).isFalse();
    }

    @Test
    void shouldRefuseASpecObjectOverTheSizeBoundAndLoadTheOthers() {
        // Given a valid spec, and one that would be valid too but is padded past 256 KiB with a comment
        put("alpha.yaml", spec("alpha", "example/alpha:1"));
        put("huge.yaml", spec("huge", "example/huge:1") + "# " + "x".repeat(JobSpecs.MAX_TEXT_BYTES) + "\n");

        // When the registry is read
        source.reload();

        // Then the huge object is a problem naming its key and the bound, and only the other job is loaded
        String huge = location.uri("teams/jobs/huge.yaml");
        assertThat(catalog.snapshot().jobs()).containsOnlyKeys("alpha");
        assertThat(catalog.snapshot().problems()).singleElement().satisfies(problem -> {
            assertThat(problem.source()).isEqualTo(huge);
            assertThat(problem.problems()).singleElement().asString()
                    .isEqualTo(huge + ": is over 262144 bytes (256 KiB), the most a job spec may hold; it was not read");
        });
    }
}
