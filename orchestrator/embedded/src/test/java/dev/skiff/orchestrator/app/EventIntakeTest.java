package dev.skiff.orchestrator.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.skiff.jobs.JobSpec;
import dev.skiff.testing.SettableClock;
import dev.skiff.orchestrator.TestSpecs;
import dev.skiff.orchestrator.adapter.embedded.EmbeddedRunEngine;
import dev.skiff.orchestrator.adapter.embedded.H2RunStore;
import dev.skiff.orchestrator.app.EventIntake.Accepted;
import dev.skiff.orchestrator.app.EventIntake.EventResult;
import dev.skiff.orchestrator.app.EventIntake.StartedRun;
import dev.skiff.orchestrator.domain.MalformedRequestException;
import dev.skiff.orchestrator.port.RecordingTaskLauncher;
import dev.skiff.orchestrator.port.RunEngine;
import dev.skiff.orchestrator.port.RunListener;
import dev.skiff.workflows.Run;
import dev.skiff.workflows.RunIds;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Event intake over the real dispatcher and embedded engine (in-memory H2, recording launcher). */
class EventIntakeTest {

    /** Needs the object key, which its trigger maps from the event. */
    private static final JobSpec INGEST = TestSpecs.shell("ingest", "echo $KEY", """
            parameters:
              KEY: {required: true}
              BUCKET: {required: false, default: none}
            triggers:
              events:
                - pattern:
                    source: [aws.s3]
                    detail-type: [Object Created]
                    detail:
                      bucket: {name: [landing]}
                  parameters:
                    KEY: $.detail.object.key
                    BUCKET: $.detail.bucket.name""");

    /** Matches the same events and needs nothing from them. */
    private static final JobSpec AUDIT = TestSpecs.shell("audit", "true", """
            triggers:
              events:
                - pattern:
                    source: [aws.s3]
                    detail-type: [Object Created]
                    detail:
                      bucket: {name: [landing]}""");

    /** Matches nothing an S3 event has. */
    private static final JobSpec UNRELATED = TestSpecs.shell("unrelated", "true", """
            triggers:
              events:
                - pattern:
                    source: [aws.ec2]""");

    private final SettableClock clock = new SettableClock(Instant.parse("2026-11-26T10:00:00Z"));
    private final JobCatalog catalog = new JobCatalog();
    private H2RunStore store;
    private RunEngine engine;
    private EventIntake intake;

    @BeforeEach
    void createIntake() {
        store = H2RunStore.inMemory("events-" + UUID.randomUUID());
        engine = new EmbeddedRunEngine(store, new RecordingTaskLauncher(clock), new RunListener() { }, clock, 8);
        intake = new EventIntake(catalog, new RunDispatcher(catalog, engine), new ObjectMapper(), clock);
        catalog.replace(List.of(registered(INGEST), registered(AUDIT), registered(UNRELATED)), List.of());
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    private static RegisteredJob registered(JobSpec job) {
        return new RegisteredJob(job, job.name() + ".yaml");
    }

    private static String s3Event(String id, String key) {
        return """
                {"version": "0", "id": "%s", "detail-type": "Object Created", "source": "aws.s3",
                 "account": "123456789012", "time": "2026-11-26T09:59:58Z", "region": "eu-central-1", "resources": [],
                 "detail": {"bucket": {"name": "landing"}, "object": {"key": "%s"}}}""".formatted(id, key);
    }

    private static String entry(String detailJson) {
        return """
                {"Source": "aws.s3", "DetailType": "Object Created", "Detail": %s}""".formatted(detailJson);
    }

    private static String putEvents(String... entries) {
        return "{\"Entries\": [" + String.join(", ", entries) + "]}";
    }

    private Run run(String runId) {
        return engine.get(runId).orElseThrow(() -> new AssertionError("no run " + runId));
    }

    private List<Run> allRuns() {
        return engine.list(new RunEngine.RunQuery(Optional.empty(), Set.of(), Optional.empty(), 100));
    }

    @Test
    void shouldWaitForTheFirstReadOfTheRegistryBeforeMatchingAnEvent() throws Exception {
        // Given an intake started before its registry was read (queued events arrive first after a restart)
        JobCatalog unread = new JobCatalog();
        var early = new EventIntake(unread, new RunDispatcher(unread, engine), new ObjectMapper(), clock);

        // When an event arrives, and the registry is read half a second later
        var accepted = java.util.concurrent.CompletableFuture.supplyAsync(() -> early.accept(s3Event("evt-early", "a.csv")));
        Thread.sleep(500);
        assertThat(accepted).isNotDone();
        unread.replace(List.of(registered(INGEST)), List.of());

        // Then the event waited and started the run it matches, instead of being dropped as unmatched
        assertThat(accepted.get(10, java.util.concurrent.TimeUnit.SECONDS).results().get(0).runs())
                .extracting(StartedRun::job).containsExactly("ingest");
    }

    @Test
    void shouldStartOneRunPerMatchingJobWithMappedParametersWhenAnEventMatches() {
        // Given jobs ingest and audit matching S3 uploads to "landing", and one that does not
        // When an upload event comes
        Accepted accepted = intake.accept(s3Event("evt-1", "in/2026/sales.csv"));

        // Then it is one event, starting one run for each matching job, with ids from the event
        assertThat(accepted.batch()).isFalse();
        EventResult result = accepted.results().get(0);
        assertThat(accepted.results()).hasSize(1);
        assertThat(result.eventId()).isEqualTo("evt-1");
        assertThat(result.source()).isEqualTo("aws.s3");
        assertThat(result.errors()).isEmpty();
        assertThat(result.runs()).containsExactlyInAnyOrder(
                new StartedRun("ingest", RunIds.event("ingest", "aws.s3", "evt-1"), true),
                new StartedRun("audit", RunIds.event("audit", "aws.s3", "evt-1"), true));
        // and the parameters come from the event's paths, with defaults where the event gave nothing
        Run ingest = run(RunIds.event("ingest", "aws.s3", "evt-1"));
        assertThat(ingest.trigger()).isEqualTo("event");
        assertThat(ingest.parameters()).isEqualTo(Map.of("KEY", "in/2026/sales.csv", "BUCKET", "landing"));
        assertThat(run(RunIds.event("audit", "aws.s3", "evt-1")).parameters()).isEmpty();
        assertThat(allRuns()).extracting(Run::job).doesNotContain("unrelated");
    }

    @Test
    void shouldStartNoSecondRunWhenTheSameEventComesTwice() {
        // Given an event that was accepted once
        intake.accept(s3Event("evt-2", "a.csv"));

        // When it is delivered again
        EventResult again = intake.accept(s3Event("evt-2", "a.csv")).results().get(0);

        // Then the same run ids come back, marked as not created, and no run was added
        assertThat(again.runs()).containsExactlyInAnyOrder(
                new StartedRun("ingest", RunIds.event("ingest", "aws.s3", "evt-2"), false),
                new StartedRun("audit", RunIds.event("audit", "aws.s3", "evt-2"), false));
        assertThat(allRuns()).hasSize(2);
    }

    @Test
    void shouldStartRunsForEveryEntryWhenAPutEventsBatchHasDetailAsStringAndAsObject() {
        // Given a PutEvents body: one Detail as a JSON string (as PutEvents sends it), one as an object
        String asString = "\"{\\\"bucket\\\": {\\\"name\\\": \\\"landing\\\"}, \\\"object\\\": {\\\"key\\\": \\\"from-string.csv\\\"}}\"";
        String asObject = "{\"bucket\": {\"name\": \"landing\"}, \"object\": {\"key\": \"from-object.csv\"}}";

        // When it is accepted
        Accepted accepted = intake.accept(putEvents(entry(asString), entry(asObject)));

        // Then it is a batch of two events, with their own fresh ids, each starting ingest with its key
        assertThat(accepted.batch()).isTrue();
        assertThat(accepted.results()).hasSize(2)
                .allSatisfy(r -> assertThat(r.source()).isEqualTo("aws.s3"))
                .allSatisfy(r -> assertThat(r.errors()).isEmpty())
                .allSatisfy(r -> assertThat(r.runs()).extracting(StartedRun::job).containsExactlyInAnyOrder("ingest", "audit"));
        assertThat(accepted.results().get(0).eventId()).isNotEqualTo(accepted.results().get(1).eventId());
        List<String> keys = accepted.results().stream()
                .map(r -> run(RunIds.event("ingest", "aws.s3", r.eventId())).parameters().get("KEY"))
                .toList();
        assertThat(keys).containsExactly("from-string.csv", "from-object.csv");
    }

    @Test
    void shouldNameTheFieldWhenABatchEntryHasNoSource() {
        // Given a PutEvents body whose first entry lacks Source
        String body = putEvents("{\"DetailType\": \"Object Created\", \"Detail\": \"{}\"}");

        // When / Then it is refused as malformed, naming the field, and starts nothing
        assertThatThrownBy(() -> intake.accept(body))
                .isInstanceOf(MalformedRequestException.class)
                .hasMessageContaining("Entries[0].Source");
        assertThat(allRuns()).isEmpty();
    }

    @Test
    void shouldNameTheFieldWhenABatchEntryHasADetailThatIsNotAnObject() {
        // Given a PutEvents body whose second entry holds a Detail string that is not JSON
        String body = putEvents(entry("{}"), entry("\"not json\""));

        // When / Then it is refused as malformed, naming the entry's Detail, and starts nothing
        assertThatThrownBy(() -> intake.accept(body))
                .isInstanceOf(MalformedRequestException.class)
                .hasMessageContaining("Entries[1].Detail");
        assertThat(allRuns()).isEmpty();
    }

    @Test
    void shouldRefuseTheBatchWhenItHasMoreThanTenEntries() {
        // Given PutEvents bodies of 10 and of 11 entries
        String detail = "{\"bucket\": {\"name\": \"landing\"}, \"object\": {\"key\": \"k\"}}";
        String ten = putEvents(IntStream.range(0, 10).mapToObj(i -> entry(detail)).toArray(String[]::new));
        String eleven = putEvents(IntStream.range(0, 11).mapToObj(i -> entry(detail)).toArray(String[]::new));

        // When / Then 11 are refused before anything starts, and 10 are accepted
        assertThatThrownBy(() -> intake.accept(eleven))
                .isInstanceOf(MalformedRequestException.class)
                .hasMessageContaining("Entries")
                .hasMessageContaining("1 to 10");
        assertThat(allRuns()).isEmpty();
        assertThat(intake.accept(ten).results()).hasSize(10);
    }

    @Test
    void shouldReportTheJobAndStillStartTheOthersWhenTheEventCannotFillARequiredParameter() {
        // Given an upload event without an object key, which ingest requires
        String noKey = """
                {"id": "evt-3", "detail-type": "Object Created", "source": "aws.s3",
                 "detail": {"bucket": {"name": "landing"}}}""";

        // When it is accepted
        EventResult result = intake.accept(noKey).results().get(0);

        // Then ingest reports which parameter is missing, and audit started anyway
        assertThat(result.errors()).singleElement().satisfies(error -> {
            assertThat(error).startsWith("ingest: ");
            assertThat(error).contains("parameters.KEY: is required");
        });
        assertThat(result.runs()).containsExactly(new StartedRun("audit", RunIds.event("audit", "aws.s3", "evt-3"), true));
        assertThat(allRuns()).extracting(Run::job).containsExactly("audit");
    }

    @Test
    void shouldStartNothingWhenNoJobMatches() {
        // Given an event from a source no job listens to
        String event = """
                {"id": "evt-4", "detail-type": "Object Created", "source": "example.other", "detail": {}}""";

        // When it is accepted
        EventResult result = intake.accept(event).results().get(0);

        // Then it is taken, and nothing starts
        assertThat(result.runs()).isEmpty();
        assertThat(result.errors()).isEmpty();
        assertThat(allRuns()).isEmpty();
    }

    @Test
    void shouldNameTheFieldWhenASingleEventHasNoDetailType() {
        // Given one event without detail-type
        String event = "{\"id\": \"evt-5\", \"source\": \"aws.s3\", \"detail\": {}}";

        // When / Then it is refused, naming the field
        assertThatThrownBy(() -> intake.accept(event))
                .isInstanceOf(MalformedRequestException.class)
                .hasMessageStartingWith("detail-type:");
    }

    @Test
    void shouldSayWhereWhenTheBodyIsNotJson() {
        // Given a body cut off in the middle
        // When / Then it is refused with the position
        assertThatThrownBy(() -> intake.accept("{\"source\": "))
                .isInstanceOf(MalformedRequestException.class)
                .hasMessageContaining("not JSON")
                .hasMessageContaining("line 1");
        assertThatThrownBy(() -> intake.accept("[1, 2]"))
                .isInstanceOf(MalformedRequestException.class)
                .hasMessageContaining("must be a JSON object");
    }

    @Test
    void shouldStartTheNamedJobWithTheTriggersOwnEventIdWhenAWebhookRunArrives() {
        // Given a webhook event as the Lambda trigger puts it on the bus (EventBridge gave it a random id)
        String event = """
                {"version": "0", "id": "random-%s", "detail-type": "Webhook Run Requested", "source": "skiff.trigger",
                 "account": "123456789012", "time": "2026-11-26T10:00:00Z", "region": "eu-west-1", "resources": [],
                 "detail": {"job": "ingest", "parameters": {"KEY": "in/x.csv"}, "skiffEventId": "wh-42"}}""";

        // When it arrives twice, as a retried Lambda invocation would send it, with different bus ids
        var first = intake.accept(event.formatted("1"));
        var second = intake.accept(event.formatted("2"));

        // Then one run of the named job starts, with the run id the trigger promised its caller
        String expected = RunIds.event("ingest", "skiff.trigger", "wh-42");
        assertThat(first.results().get(0).runs()).containsExactly(new EventIntake.StartedRun("ingest", expected, true));
        assertThat(second.results().get(0).runs()).containsExactly(new EventIntake.StartedRun("ingest", expected, false));
        assertThat(engine.get(expected).orElseThrow().parameters()).containsEntry("KEY", "in/x.csv");
    }

    @Test
    void shouldReportAWebhookRunForAnUnknownJobWithoutStartingAnything() {
        String event = """
                {"id": "1", "detail-type": "Webhook Run Requested", "source": "skiff.trigger",
                 "detail": {"job": "nope", "parameters": {}, "skiffEventId": "wh-43"}}""";

        var result = intake.accept(event).results().get(0);

        assertThat(result.runs()).isEmpty();
        assertThat(result.errors()).singleElement().asString().contains("no job named 'nope'");
    }
}
