package dev.skiff.orchestrator.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.skiff.jobs.EventMatch;
import dev.skiff.jobs.JobSpec;
import dev.skiff.jobs.JobSpecs;
import dev.skiff.orchestrator.TestSpecs;
import dev.skiff.orchestrator.app.EventIntake.EventResult;
import dev.skiff.orchestrator.app.EventIntake.StartedRun;
import dev.skiff.orchestrator.domain.ForbiddenException;
import dev.skiff.orchestrator.domain.MalformedRequestException;
import dev.skiff.orchestrator.domain.NotFoundException;
import dev.skiff.orchestrator.port.RunEngine;
import dev.skiff.workflows.Run;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import software.amazon.event.ruler.GenericMachine;

/**
 * The intake matches an event's text before it reads a tree: an event that matches nothing is never read into one,
 * jobs match exactly as event-ruler matches the parsed event, and text that is not a readable event is answered as
 * the tree reader always answered it.
 */
class EventIntakeTextMatchingTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-06T10:00:00Z"), ZoneOffset.UTC);

    /** Pattern (JSON, as a job author writes it inline) per job; each job maps V from $.detail.v when it has "v". */
    private static final Map<String, String> PATTERNS = patterns();

    private static Map<String, String> patterns() {
        var p = new LinkedHashMap<String, String>();
        p.put("s3-landing", """
                {"source": ["aws.s3"], "detail-type": ["Object Created"], "detail": {"bucket": {"name": ["landing"]}}}""");
        p.put("detail-type-only", """
                {"detail-type": ["Object Created", "Object Deleted"]}""");
        p.put("key-prefix", """
                {"source": ["aws.s3"], "detail": {"object": {"key": [{"prefix": "in/"}]}}}""");
        p.put("key-suffix", """
                {"detail": {"object": {"key": [{"suffix": ".csv"}]}}}""");
        p.put("ignore-case", """
                {"detail": {"status": [{"equals-ignore-case": "PAID"}]}}""");
        p.put("wildcard", """
                {"detail": {"object": {"key": [{"wildcard": "in/*/sales*.csv"}]}}}""");
        p.put("anything-but", """
                {"source": ["com.acme.orders"], "detail": {"status": [{"anything-but": ["cancelled", "test"]}]}}""");
        p.put("anything-but-prefix", """
                {"source": [{"anything-but": {"prefix": "aws."}}], "detail-type": ["Nothing", "Object Created"]}""");
        p.put("numeric-range", """
                {"detail": {"amount": [{"numeric": [">", 100, "<=", 10000]}]}}""");
        p.put("numeric-equal", """
                {"detail": {"amount": [{"numeric": ["=", 100]}]}}""");
        p.put("exact-number", """
                {"detail": {"amount": [100]}}""");
        p.put("exists", """
                {"source": ["com.acme.monitoring"], "detail": {"region": [{"exists": true}]}}""");
        p.put("not-exists", """
                {"source": ["com.acme.pipeline"], "detail": {"error": [{"exists": false}]}}""");
        p.put("null-value", """
                {"detail": {"reason": [null]}}""");
        p.put("boolean", """
                {"detail": {"urgent": [true]}}""");
        p.put("cidr", """
                {"detail": {"ip": [{"cidr": "10.0.0.0/24"}]}}""");
        p.put("array-member", """
                {"resources": ["arn:aws:s3:::landing"]}""");
        p.put("array-consistent", """
                {"detail": {"items": {"sku": ["s-1"], "qty": [2]}}}""");
        p.put("one-of", """
                {"source": ["com.acme.orders"], "detail": {"status": ["new", {"prefix": "sh"}]}}""");
        p.put("by-id", """
                {"id": [{"prefix": "evt-"}]}""");
        p.put("by-account", """
                {"account": ["123456789012"], "detail-type": ["Order Placed"]}""");
        p.put("nested-unicode", """
                {"detail": {"name": ["Zoë"]}}""");
        return p;
    }

    /** Events: each a plain EventBridge event, meeting some of the patterns. */
    private static final List<String> EVENTS = List.of(
            event("evt-1", "aws.s3", "Object Created", """
                    {"bucket": {"name": "landing"}, "object": {"key": "in/2026/sales.csv", "size": 10}}""", "[\"arn:aws:s3:::landing\"]"),
            event("evt-2", "aws.s3", "Object Deleted", """
                    {"bucket": {"name": "archive"}, "object": {"key": "out/x.parquet"}}""", "[]"),
            event("abc-3", "com.acme.orders", "Order Placed", """
                    {"status": "paid", "amount": 100, "items": [{"sku": "s-1", "qty": 2}, {"sku": "s-2", "qty": 1}]}""", "[]"),
            event("abc-4", "com.acme.orders", "Order Placed", """
                    {"status": "cancelled", "amount": 100.0, "items": [{"sku": "s-1", "qty": 1}, {"sku": "s-2", "qty": 2}]}""", "[]"),
            event("abc-5", "com.acme.orders", "Order Updated", """
                    {"status": "new", "amount": 1e2}""", "[]"),
            event("abc-6", "com.acme.orders", "Order Updated", """
                    {"status": "test", "amount": 6000.50, "urgent": true}""", "[]"),
            event("abc-7", "com.acme.orders", "Order Updated", """
                    {"status": "Paid", "amount": 100.00, "urgent": false}""", "[]"),
            event("abc-8", "com.acme.orders", "Order Updated", """
                    {"status": "shipped", "amount": -0, "reason": null}""", "[]"),
            event("abc-9", "com.acme.monitoring", "Threshold Breached", """
                    {"metric": "cpu", "region": "eu-west-1", "ip": "10.0.0.7"}""", "[]"),
            event("abc-10", "com.acme.monitoring", "Threshold Breached", """
                    {"metric": "cpu", "ip": "10.0.1.7"}""", "[]"),
            event("abc-11", "com.acme.pipeline", "Batch Finished", """
                    {"dataset": "ds-1"}""", "[]"),
            event("abc-12", "com.acme.pipeline", "Batch Finished", """
                    {"dataset": "ds-1", "error": "schema mismatch", "name": "Zo\\u00eb"}""", "[]"),
            event("abc-13", "com.acme.other", "Something", """
                    {"v": {"nested": [1, 2, {"deep": "x"}]}, "name": "Zoë", "名前": "値", "text": "a \\"quoted\\" } ] { [ value"}""", "[]"),
            event("evt-14", "com.acme.other", "Nothing", "{}", "[]"));

    private static String event(String id, String source, String type, String detail, String resources) {
        return """
                {"version": "0", "id": "%s", "detail-type": "%s", "source": "%s", "account": "123456789012",
                 "time": "2026-12-06T09:59:58Z", "region": "eu-west-1", "resources": %s, "detail": %s}"""
                .formatted(id, type, source, resources, detail);
    }

    /**
     * Counts the trees of whole events the intake reads: the seam is the mapper it is given. (A parameter's value that
     * is a fraction or a container is read alone, by the same mapper; every event here has a detail-type, no value has.)
     */
    private static final class CountingMapper extends ObjectMapper {

        int trees;

        @Override
        public JsonNode readTree(String content) throws JsonProcessingException {
            trees += content.contains("\"detail-type\"") ? 1 : 0;
            return super.readTree(content);
        }
    }

    /** An engine that starts every run and keeps its parameters. */
    static final class StartsOnlyEngine implements RunEngine {

        final Map<String, Map<String, String>> started = new LinkedHashMap<>();

        @Override
        public Started start(String runId, JobSpec job, String trigger, Map<String, String> parameters) {
            boolean created = started.putIfAbsent(runId, parameters) == null;
            return new Started(Run.create(runId, job.name(), trigger, parameters, job.capacity(), CLOCK.instant()), created);
        }

        @Override
        public Optional<Run> get(String runId) {
            return Optional.empty();
        }

        @Override
        public boolean exists(String runId) {
            return started.containsKey(runId);
        }

        @Override
        public List<String> activeRunIds(String job, int limit) {
            return List.of();
        }

        @Override
        public List<Run> list(RunQuery query) {
            return List.of();
        }

        @Override
        public Run cancel(String runId, String reason) {
            throw NotFoundException.run(runId);
        }
    }

    private final CountingMapper mapper = new CountingMapper();
    private final StartsOnlyEngine engine = new StartsOnlyEngine();
    private final JobCatalog catalog = new JobCatalog();
    private final EventIntake intake = new EventIntake(catalog, new RunDispatcher(catalog, engine), mapper, CLOCK);

    EventIntakeTextMatchingTest() {
        catalog.replace(jobs(), List.of());
    }

    private static List<RegisteredJob> jobs() {
        var jobs = new ArrayList<RegisteredJob>();
        PATTERNS.forEach((name, pattern) -> jobs.add(new RegisteredJob(job(name, pattern, name.startsWith("s3") || name.startsWith("key")
                ? "team-s3" : "test-team"), name + ".yaml")));
        jobs.add(new RegisteredJob(TestSpecs.shell("follower", "true", "triggers: {after: [{job: s3-landing}]}"), "follower.yaml"));
        return jobs;
    }

    private static JobSpec job(String name, String pattern, String owner) {
        return JobSpecs.parse(name + ".yaml", """
                name: %s
                owner: %s
                image: example/test:1
                command: ["true"]
                parameters:
                  V: {required: false, default: none}
                triggers:
                  events:
                    - pattern: %s
                      parameters: {V: $.detail.v}""".formatted(name, owner, pattern));
    }

    @Test
    void shouldNeverReadATreeForAnEventThatMatchesNothing() {
        // Given jobs whose patterns the events below do not meet (and none that looks at an event's id, which the
        // intake gives an event that has none)
        catalog.replace(jobs().stream().filter(job -> !job.spec().name().equals("by-id")).toList(), List.of());
        String unmatched = event("evt-x", "com.acme.unknown", "Unknown", "{\"status\": \"cancelled\"}", "[]");
        String withoutId = unmatched.replace("\"id\": \"evt-x\", ", "");

        // When they come: as text over HTTP, with an idempotency key, from a team, from the queue, without an id
        var results = new ArrayList<EventResult>();
        results.addAll(intake.accept(unmatched).results());
        results.addAll(intake.accept(unmatched, Caller.ANYONE, Optional.of("key-1")).results());
        results.addAll(intake.accept(unmatched, Caller.team("test-team"), Optional.empty()).results());
        results.addAll(intake.acceptQueued(unmatched, "msg-1", () -> {
            throw new AssertionError("the queue's reader was asked for a tree");
        }).results());
        results.addAll(intake.acceptQueued(withoutId, "msg-2", () -> {
            throw new AssertionError("the queue's reader was asked for a tree");
        }).results());

        // Then no tree was read, and each is answered as taken in, with the id it would have had
        assertThat(mapper.trees).isZero();
        assertThat(results).extracting(EventResult::eventId).containsExactly("evt-x", "key-1", "evt-x", "evt-x", "msg-2");
        assertThat(results).allSatisfy(result -> {
            assertThat(result.source()).isEqualTo("com.acme.unknown");
            assertThat(result.runs()).isEmpty();
            assertThat(result.errors()).isEmpty();
        });
        assertThat(engine.started).isEmpty();

        // And an event that matches is not read into a tree either: the parameters it gives are read from its text
        var matched = intake.accept(EVENTS.get(0)).results().get(0);
        assertThat(matched.runs()).isNotEmpty();
        assertThat(mapper.trees).isZero();
    }

    @Test
    void shouldStartTheJobsEventRulerMatchesOnTheParsedEventWithTheSameParameters() throws Exception {
        // Given event-ruler itself, holding every job's pattern (and the follower's run-event pattern)
        var catalogRouter = catalog.snapshot().router();
        GenericMachine<String> ruler = new GenericMachine<>();
        for (RegisteredJob job : catalog.snapshot().jobs().values()) {
            for (var trigger : job.spec().triggers().allEvents()) {
                ruler.addRule(job.spec().name(), trigger.pattern());
            }
        }
        ObjectMapper plain = new ObjectMapper();
        var checkedPatterns = new TreeSet<String>();
        int unmatched = 0;

        for (String event : EVENTS) {
            // When the intake takes the event in
            engine.started.clear();
            int treesBefore = mapper.trees;
            EventResult result = intake.accept(event).results().get(0);

            // Then it starts the jobs event-ruler matches on the parsed event, no more, no fewer
            Set<String> expected = new TreeSet<>(ruler.rulesForJSONEvent(plain.readTree(event)));
            assertThat(result.runs()).as("runs for %s", event).extracting(StartedRun::job)
                    .containsExactlyInAnyOrderElementsOf(expected);
            // with the parameters the tree path maps from the parsed event
            Map<String, Map<String, String>> want = new HashMap<>();
            for (EventMatch match : catalogRouter.route(plain.readTree(event))) {
                want.put(match.jobName(), match.parameters());
            }
            Map<String, Map<String, String>> got = new HashMap<>();
            result.runs().forEach(run -> got.put(run.job(), engine.started.get(run.runId()).entrySet().stream()
                    .filter(e -> !e.getValue().equals("none")).collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue))));
            assertThat(got).as("parameters for %s", event).isEqualTo(want);
            // and no tree read, not even for the parameters: they are read from the text
            assertThat(mapper.trees - treesBefore).as("trees read for %s", event).isZero();
            checkedPatterns.addAll(expected);
            unmatched += expected.isEmpty() ? 1 : 0;
        }
        // And an event given its id by an idempotency key matches by that id, as it did on the completed tree
        String keyed = EVENTS.get(2);
        var byKey = intake.accept(keyed, Caller.ANYONE, Optional.of("evt-from-key")).results().get(0);
        var completed = (com.fasterxml.jackson.databind.node.ObjectNode) plain.readTree(keyed);
        completed.put("id", "evt-from-key");
        assertThat(byKey.runs()).extracting(StartedRun::job).contains("by-id")
                .containsExactlyInAnyOrderElementsOf(ruler.rulesForJSONEvent(completed));
        // (the table means something: nearly every pattern matches some event, and some event matches nothing)
        assertThat(checkedPatterns).hasSizeGreaterThan(PATTERNS.size() - 3);
        assertThat(unmatched).isPositive();
    }

    @Test
    void shouldMatchAnEventWithAKeyGivenTwiceAsItsTreeHoldsIt() throws Exception {
        // Given an order whose status is given twice: the tree keeps the last, "cancelled", not the first, "paid"
        String twice = event("abc-dup", "com.acme.orders", "Order Placed", """
                {"status": "paid", "amount": 200, "status": "cancelled"}""", "[]");
        GenericMachine<String> ruler = new GenericMachine<>();
        for (String job : List.of("ignore-case", "anything-but", "numeric-range")) {
            ruler.addRule(job, catalog.snapshot().jobs().get(job).spec().triggers().events().get(0).pattern());
        }

        // When it comes in as text
        EventResult result = intake.accept(twice).results().get(0);

        // Then the jobs that start are those the tree matches: neither "paid" pattern, only the amount's
        assertThat(ruler.rulesForJSONEvent(new ObjectMapper().readTree(twice))).containsExactly("numeric-range");
        assertThat(result.runs()).extracting(StartedRun::job).contains("numeric-range")
                .doesNotContain("ignore-case", "anything-but");
    }

    @Test
    void shouldStartTheFollowersOfARunAsBefore() {
        // Given a run event of s3-landing, as the relay or the queue brings it
        String runEvent = """
                {"version": "0", "id": "bus-assigned", "detail-type": "Run Succeeded", "source": "skiff.runs",
                 "account": "123456789012", "time": "2026-12-06T09:59:58Z", "region": "eu-west-1", "resources": [],
                 "detail": {"job": "s3-landing", "runId": "s3-landing-1", "skiffEventId": "s3-landing-1/SUCCEEDED"}}""";

        // When it comes in as text
        EventResult result = intake.accept(runEvent).results().get(0);

        // Then the follower starts under the event's own id, and only it
        assertThat(result.eventId()).isEqualTo("s3-landing-1/SUCCEEDED");
        assertThat(result.runs()).extracting(StartedRun::job).containsExactly("follower");
    }

    @Test
    void shouldStartOnlyTheCallingTeamsJobsAndRefuseReservedSourcesAsBefore() {
        // Given an upload event that team-s3's jobs and test-team's jobs match
        String upload = EVENTS.get(0);

        // When team-s3 posts it, and test-team posts it
        var s3Team = intake.accept(upload.replace("aws.s3", "com.acme.s3"), Caller.team("team-s3"), Optional.empty());
        assertThatThrownBy(() -> intake.accept(upload, Caller.team("team-s3"), Optional.empty()))
                .isInstanceOf(ForbiddenException.class)
                .hasMessageContaining("source: aws.s3");

        // Then each starts only its own team's jobs
        assertThat(s3Team.results().get(0).runs()).extracting(StartedRun::job).allMatch(job -> job.startsWith("key") || job.startsWith("s3"));
        String orders = EVENTS.get(2);
        var testTeam = intake.accept(orders, Caller.team("test-team"), Optional.empty()).results().get(0);
        var teamless = intake.accept(orders, Caller.team("nobody"), Optional.empty()).results().get(0);
        assertThat(testTeam.runs()).isNotEmpty();
        assertThat(teamless.runs()).isEmpty();
        assertThat(teamless.errors()).isEmpty();
    }

    @Test
    void shouldAnswerTextThatIsNotAReadableEventAsTheTreeReaderAlways() {
        // Given bodies that are not JSON, not an object, or not a complete event
        List<String> bodies = List.of("", "   ", "{", "{\"source\": \"a\",", "{\"source\": \"a\" \"detail-type\": \"b\"}",
                "[1, 2]", "\"text\"", "null", "{\"source\": \"a\", \"detail-type\": \"b\", \"detail\": {\"x\": tru}}",
                "{\"source\": \"a\", \"detail-type\": \"b\", \"detail\": {\"x\": 01}}",
                "{\"source\": \"a\", \"detail-type\": \"b\", \"detail\": \"unterminated}",
                "{\"source\": \"\", \"detail-type\": \"b\"}",
                "{\"source\": 5, \"detail-type\": \"b\"}", "{\"detail-type\": \"b\"}", "{\"source\": \"a\"}",
                "{\"Entries\": []}", "{\"source\": \"a\", \"detail-type\": \"b\", \"detail\": {\"x\": \"\u0001\"}}");
        JsonBodies reader = new JsonBodies(new ObjectMapper());
        for (String body : bodies) {
            // When the intake takes each in, Then it refuses it with the same answer the tree reader and envelope check gave
            String before = answerBefore(() -> {
                var root = reader.read(body);
                return new IncomingEvents(new ObjectMapper(), CLOCK).parse(root, Optional.empty());
            });
            assertThatThrownBy(() -> intake.accept(body)).as(body)
                    .isInstanceOf(MalformedRequestException.class)
                    .hasMessage(before);
        }
    }

    @Test
    void shouldRefuseWhatAStricterMapperRefusesEvenWhenEventRulerCouldReadIt() {
        // Given a mapper nesting at most 5 deep, refusing trailing tokens, and one refusing duplicate keys
        ObjectMapper shallow = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        shallow.getFactory().setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(5).build());
        ObjectMapper strict = JsonMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
        String deep = event("deep-1", "com.acme.other", "Deep", "{\"a\": {\"b\": {\"c\": {\"d\": {\"e\": 1}}}}}", "[]");
        String trailing = event("tail-1", "com.acme.other", "Tail", "{}", "[]") + " {}";
        String duplicate = event("dup-1", "com.acme.other", "Dup", "{\"a\": 1, \"a\": 2}", "[]");

        // (events no job matches, so that only the text is read, unless the intake sees it must not be)
        // When each intake takes in what its mapper refuses, Then it refuses it with the mapper's own reason
        for (var refused : List.of(Map.entry(shallow, deep), Map.entry(shallow, trailing), Map.entry(strict, duplicate))) {
            var strictIntake = new EventIntake(catalog, new RunDispatcher(catalog, engine), refused.getKey(), CLOCK);
            String before = answerBefore(() -> new JsonBodies(refused.getKey()).read(refused.getValue()));
            assertThatThrownBy(() -> strictIntake.accept(refused.getValue())).as(refused.getValue())
                    .isInstanceOf(MalformedRequestException.class)
                    .hasMessage(before);
        }
    }

    private static String answerBefore(Supplier<Object> read) {
        try {
            read.get();
        } catch (MalformedRequestException e) {
            return e.getMessage();
        }
        throw new AssertionError("the tree reader accepted it");
    }
}
