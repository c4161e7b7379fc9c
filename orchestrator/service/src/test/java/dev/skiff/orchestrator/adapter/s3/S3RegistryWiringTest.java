package dev.skiff.orchestrator.adapter.s3;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;

/** {@code skiff.jobs.location=s3://...} chooses the S3 registry, and PUT and DELETE /jobs/{name} write the bucket. */
@QuarkusTest
@TestProfile(S3RegistryProfile.class)
class S3RegistryWiringTest {

    @Test
    void shouldLoadTheBucketsJobsWhenTheLocationIsAnS3Prefix() {
        // Given the seeded bucket / When / Then
        given().get("/jobs/seeded").then().statusCode(200)
                .body("source", equalTo("s3://" + S3RegistryProfile.bucket + "/jobs/seeded.yaml"));
    }

    @Test
    void shouldWriteThenRemoveTheObjectWhenAJobIsPutAndDeleted() {
        // Given a new job's spec as JSON
        String spec = "{\"name\": \"from-api\", \"owner\": \"test-team\", \"image\": \"example/api:1\", \"command\": [\"true\"]}";

        try (S3Client s3 = MotoS3.client()) {
            // When it is put
            given().contentType("application/json").body(spec).put("/jobs/from-api").then().statusCode(201)
                    .body("source", equalTo("s3://" + S3RegistryProfile.bucket + "/jobs/from-api.yaml"));

            // Then the bucket holds it and the API lists it
            String stored = s3.getObjectAsBytes(r -> r.bucket(S3RegistryProfile.bucket).key("jobs/from-api.yaml"))
                    .asString(StandardCharsets.UTF_8);
            assertThat(stored).isEqualTo(spec);
            given().get("/jobs").then().body("jobs.name", hasItem("from-api"));

            // And when it is deleted, the object and the job are gone; each write left a change marker for the
            // other replicas (under .skiff/changes/, beside the specs)
            given().delete("/jobs/from-api").then().statusCode(204);
            var keys = s3.listObjectsV2(r -> r.bucket(S3RegistryProfile.bucket)).contents().stream().map(o -> o.key()).toList();
            assertThat(keys).filteredOn(key -> !key.startsWith("jobs/.skiff/")).containsExactly("jobs/seeded.yaml");
            assertThat(keys).filteredOn(key -> key.startsWith("jobs/.skiff/changes/")).hasSize(2)
                    .allSatisfy(key -> assertThat(key).endsWith("-from-api.yaml"));
            given().get("/jobs/from-api").then().statusCode(404);
        }
    }
}
