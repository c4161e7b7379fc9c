package dev.skiff.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EventRouterTest {

    private static final String S3_EVENT = """
            {"version": "0", "id": "e-1", "source": "aws.s3", "detail-type": "Object Created",
             "detail": {"bucket": {"name": "%s"}, "object": {"key": "%s", "size": 1024}}}
            """;

    private static JobSpec example(String file) throws Exception {
        return JobSpecs.parse(file, Files.readString(Path.of("examples", file)));
    }

    private static JobSpec job(String name, String parametersYaml, String... patterns) {
        var yaml = new StringBuilder(SpecFixtures.MINIMAL.replace("name: demo", "name: " + name))
                .append(parametersYaml).append("triggers:\n  events:\n");
        for (String pattern : patterns) {
            yaml.append("    - ").append(pattern).append('\n');
        }
        return JobSpecs.parse(name, yaml.toString());
    }

    @Test
    void shouldMatchAndExtractParametersWhenKeyHasThePrefix() throws Exception {
        // Given the s3-ingest example, which listens for incoming/ in skiff-landing
        var router = EventRouter.of(List.of(example("s3-ingest.yaml"), example("backfill.yaml")));

        // When an object lands under incoming/
        var matches = router.route(S3_EVENT.formatted("skiff-landing", "incoming/2024/06/01/sales.csv"));

        // Then the job starts with bucket and key as parameters
        assertThat(matches).containsExactly(new EventMatch("s3-ingest", 0,
                Map.of("BUCKET", "skiff-landing", "KEY", "incoming/2024/06/01/sales.csv")));
    }

    @Test
    void shouldNotMatchWhenPrefixOrBucketDiffers() throws Exception {
        var router = EventRouter.of(List.of(example("s3-ingest.yaml")));
        assertThat(router.route(S3_EVENT.formatted("skiff-landing", "archive/sales.csv"))).isEmpty();
        assertThat(router.route(S3_EVENT.formatted("other-bucket", "incoming/sales.csv"))).isEmpty();
    }

    @Test
    void shouldMatchNumericRangeAndRenderNonStringsAsJsonWhenExtracting() {
        // Given a job for small objects that takes the size, the whole object and an array item
        var job = job("small-files", """
                parameters:
                  SIZE: {}
                  OBJECT: {}
                  FIRST_TAG: {}
                  MISSING: {default: none}
                """, """
                pattern: {detail: {object: {size: [{numeric: [">", 0, "<=", 2048]}]}}}
                      parameters: {SIZE: $.detail.object.size, OBJECT: $.detail.object, FIRST_TAG: "$.detail.tags[0]", MISSING: $.detail.nope}""");
        var router = EventRouter.of(List.of(job));

        // When a 1024-byte object arrives, and then a large one
        var small = router.route("""
                {"detail": {"object": {"size": 1024, "key": "k"}, "tags": ["hot", "csv"]}}""");
        var large = router.route("""
                {"detail": {"object": {"size": 4096, "key": "k"}}}""");

        // Then the small one matches; numbers and objects come as JSON text, a missing path is absent
        assertThat(small).containsExactly(new EventMatch("small-files", 0,
                Map.of("SIZE", "1024", "OBJECT", "{\"size\":1024,\"key\":\"k\"}", "FIRST_TAG", "hot")));
        assertThat(large).isEmpty();
    }

    @Test
    void shouldReturnOneMatchWithFirstTriggerWhenTwoTriggersOfAJobMatch() {
        // Given a job whose second and third triggers both match
        var job = job("twice", "", "pattern: {source: [other]}", "pattern: {source: [aws.s3]}",
                "pattern: {detail-type: [Object Created]}");

        // When
        var matches = EventRouter.of(List.of(job)).route(S3_EVENT.formatted("b", "k"));

        // Then
        assertThat(matches).containsExactly(new EventMatch("twice", 1, Map.of()));
    }

    @Test
    void shouldMatchEveryJobInGivenOrderWhenSeveralJobsMatch() {
        var first = job("zeta", "", "pattern: {source: [aws.s3]}");
        var second = job("alpha", "", "pattern: {source: [aws.s3]}");
        var router = EventRouter.of(List.of(first, job("never", "", "pattern: {source: [aws.ec2]}"), second));

        assertThat(router.route(S3_EVENT.formatted("b", "k"))).extracting(EventMatch::jobName).containsExactly("zeta", "alpha");
    }

    @Test
    void shouldThrowClearMessageWhenEventIsMalformed() {
        var router = EventRouter.of(List.of(job("j", "", "pattern: {source: [aws.s3]}")));

        assertThatThrownBy(() -> router.route("{\"source\": \"aws.s3\""))
                .isInstanceOf(InvalidEventException.class)
                .hasMessageStartingWith("event is not valid JSON at line 1, column 20:");
        assertThatThrownBy(() -> router.route("[1, 2]"))
                .isInstanceOf(InvalidEventException.class)
                .hasMessage("event must be a JSON object, was array");
        assertThatThrownBy(() -> router.route("{} {}"))
                .isInstanceOf(InvalidEventException.class)
                .hasMessageStartingWith("event is not valid JSON");
    }

    @Test
    void shouldRejectJobsWhenTwoShareAName() {
        var job = job("same", "", "pattern: {source: [aws.s3]}");
        assertThatThrownBy(() -> EventRouter.of(List.of(job, job)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("job same appears twice; job names are unique");
    }

    @Test
    void shouldMatchNothingWhenNoJobHasEventTriggers() throws Exception {
        assertThat(EventRouter.of(List.of(example("backfill.yaml"))).route(S3_EVENT.formatted("b", "k"))).isEmpty();
    }
}
