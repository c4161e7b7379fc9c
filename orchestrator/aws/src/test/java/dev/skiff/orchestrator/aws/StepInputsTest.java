package dev.skiff.orchestrator.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.skiff.jobs.JobSpec;
import dev.skiff.orchestrator.TestSpecs;
import dev.skiff.orchestrator.adapter.s3.MotoS3;
import dev.skiff.orchestrator.adapter.s3.S3Listing;
import dev.skiff.orchestrator.adapter.s3.S3Location;
import dev.skiff.orchestrator.adapter.s3.S3StepOutputs;
import dev.skiff.orchestrator.adapter.s3.S3TaskOutputs;
import dev.skiff.orchestrator.port.TaskRequest;
import dev.skiff.workflows.DispatchRequest;
import dev.skiff.workflows.RunValues;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/** What a pipeline's step reads when it starts in AWS mode, against moto's S3: items, parameters, outputs. */
class StepInputsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final S3Client s3 = MotoS3.client();
    private final S3Location jobs = S3Location.parse("s3://" + MotoS3.createBucket(s3) + "/teams/");
    private final S3TaskOutputs taskOutputs = new S3TaskOutputs(s3, jobs);
    private final StepInputs inputs = new StepInputs(new S3StepOutputs(s3, jobs), Optional.of(new S3Listing(s3)),
            Optional.of(taskOutputs));

    @AfterEach
    void close() {
        s3.close();
    }

    @Test
    void shouldListAnS3PrefixAsItemsInKeyOrderWithBucketKeyAndSize() throws Exception {
        // Given three objects under a prefix, put out of order, and one beside it
        String bucket = MotoS3.createBucket(s3);
        for (String key : List.of("in/b.csv", "in/a.csv", "in/c/d.csv", "other.csv")) {
            s3.putObject(r -> r.bucket(bucket).key(key), RequestBody.fromString("x".repeat(key.length())));
        }
        JobSpec job = pipeline("list: s3://" + bucket + "/in/", "toleratedFailures: 50%");

        // When the step's items are asked for
        var answer = JSON.readTree(inputs.items(items(job), job.step("each").orElseThrow()));

        // Then they are the objects under the prefix in key order, and half of three (one) may fail
        assertThat(answer.get("items").toString()).isEqualTo("[" + object(bucket, "in/a.csv", 8) + ","
                + object(bucket, "in/b.csv", 8) + "," + object(bucket, "in/c/d.csv", 10) + "]");
        assertThat(answer.get("maxFailures").asInt()).isEqualTo(1);
    }

    @Test
    void shouldRefuseAListingOfMoreThanAThousandObjectsSayingTheLimit() {
        // Given a prefix of 1,001 objects
        String bucket = MotoS3.createBucket(s3);
        for (int i = 0; i <= RunValues.MAX_ITEMS; i++) {
            String key = "many/%04d".formatted(i);
            s3.putObject(r -> r.bucket(bucket).key(key), RequestBody.empty());
        }
        JobSpec job = pipeline("list: s3://" + bucket + "/many/", "toleratedFailures: 0");

        // When the items are asked for / Then the fan-out is refused, naming the prefix and the limit
        assertThatThrownBy(() -> inputs.items(items(job), job.step("each").orElseThrow()))
                .isInstanceOf(RunValues.UnresolvableException.class)
                .hasMessageContaining("s3://" + bucket + "/many/").hasMessageContaining("a fan-out takes at most 1000");
    }

    @Test
    void shouldResolveItemsAndParametersFromAnUpstreamOutputKeptInS3() throws Exception {
        // Given extract's output, kept for the run
        JobSpec job = pipeline("items: $.steps.first.output.parts", "toleratedFailures: 1");
        new S3StepOutputs(s3, jobs).keep("run-1", "first", "{\"parts\": [{\"p\": \"a\"}, {\"p\": \"b\"}], \"day\": 5}");

        // When the items, and then one item's parameters, are resolved
        var answer = JSON.readTree(inputs.items(items(job), job.step("each").orElseThrow()));
        var launch = new DispatchRequest(DispatchRequest.Kind.LAUNCH, "run-1", job.name(), "each", 1, Map.of(),
                OptionalInt.of(1), Optional.of("{\"p\":\"b\"}"), "token");

        // Then the items are the output's array, and the parameters name the item's field and the output's
        assertThat(answer.get("items").toString()).isEqualTo("[{\"p\":\"a\"},{\"p\":\"b\"}]");
        assertThat(answer.get("maxFailures").asInt()).isEqualTo(1);
        assertThat(inputs.parameters(launch, job.step("each").orElseThrow()))
                .containsExactlyInAnyOrderEntriesOf(Map.of("PART", "b", "DAY", "5"));
    }

    @Test
    void shouldSayWhichOutputIsMissingWhenAReferenceNamesNothing() {
        JobSpec job = pipeline("items: $.steps.first.output.parts", "toleratedFailures: 1");

        assertThatThrownBy(() -> inputs.items(items(job), job.step("each").orElseThrow()))
                .isInstanceOf(RunValues.UnresolvableException.class)
                .hasMessageContaining("$.steps.first.output.parts").hasMessageContaining("wrote no output");
    }

    @Test
    void shouldGiveEachAttemptItsOwnOutputObjectUnderItsOwnersPrefixAndCheckWhatTheTaskWrote() {
        // Given item 2's second attempt of step each
        JobSpec job = pipeline("items: $.steps.first.output.parts", "toleratedFailures: 1");
        var request = new TaskRequest("run-1", job, "each", 2, List.of(), Map.of(), job.timeout(), job.capacity(), 2);
        String uri = taskOutputs.uriOf(request);

        // Then its object is under .skiff/outputs/<owner>/, and what the task wrote there is read and checked
        assertThat(uri).isEqualTo("s3://" + jobs.bucket() + "/teams/.skiff/outputs/test-team/run-1/each/2/2.json");
        assertThat(taskOutputs.read(uri)).isEmpty();
        put(uri, "{\"rows\": 3}");
        assertThat(taskOutputs.read(uri)).contains("{\"rows\": 3}");
        put(uri, "rows: 3");
        assertThatThrownBy(() -> taskOutputs.read(uri)).isInstanceOf(S3TaskOutputs.BadOutputException.class)
                .hasMessageContaining("is not JSON");
        put(uri, "\"" + "x".repeat(256 * 1024) + "\"");
        assertThatThrownBy(() -> taskOutputs.read(uri)).isInstanceOf(S3TaskOutputs.BadOutputException.class)
                .hasMessageContaining("at most 262144 bytes");
        assertThatThrownBy(() -> taskOutputs.read("s3://" + jobs.bucket() + "/teams/job.yaml"))
                .isInstanceOf(S3TaskOutputs.BadOutputException.class).hasMessageContaining("is not under");
    }

    private void put(String uri, String text) {
        String key = uri.substring(("s3://" + jobs.bucket() + "/").length());
        s3.putObject(r -> r.bucket(jobs.bucket()).key(key), RequestBody.fromString(text));
    }

    private static String object(String bucket, String key, int size) {
        return "{\"bucket\":\"" + bucket + "\",\"key\":\"" + key + "\",\"size\":" + size + "}";
    }

    private static DispatchRequest items(JobSpec job) {
        return new DispatchRequest(DispatchRequest.Kind.ITEMS, "run-1", job.name(), "each", 1, Map.of(),
                OptionalInt.empty(), Optional.empty(), "token");
    }

    private static JobSpec pipeline(String source, String tolerated) {
        return TestSpecs.shell("p", "true", """
                steps:
                  - name: first
                  - name: each
                    dependsOn: [first]
                    forEach:
                      %s
                      %s
                    parameters:
                      PART: $.item.p
                      DAY: $.steps.first.output.day
                """.formatted(source, tolerated));
    }
}
