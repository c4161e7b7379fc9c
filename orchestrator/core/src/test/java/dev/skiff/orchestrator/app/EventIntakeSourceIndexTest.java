package dev.skiff.orchestrator.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.skiff.jobs.JobSpecs;
import dev.skiff.orchestrator.app.EventIntake.EventResult;
import dev.skiff.orchestrator.app.EventIntake.StartedRun;
import dev.skiff.orchestrator.app.EventIntakeTextMatchingTest.StartsOnlyEngine;
import dev.skiff.orchestrator.domain.MalformedRequestException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * An event whose source (and detail-type) no job's pattern names is answered without event-ruler, but only when its
 * text is JSON event-ruler's reader would take: everything else is answered exactly as before, refusals included.
 */
class EventIntakeSourceIndexTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-06T10:00:00Z"), ZoneOffset.UTC);

    private static final Map<String, String> EXACT = Map.of(
            "uploads", """
                    {"source": ["aws.s3"], "detail-type": ["Object Created"], "detail": {"bucket": {"name": ["landing"]}}}""",
            "orders", """
                    {"source": ["com.acme.orders"], "detail": {"status": [{"anything-but": ["test"]}]}}""");

    /** A pattern the index cannot read, on a field no event here has: with it, no event is ruled out by its source. */
    private static final String OPEN = """
            {"detail": {"never-present-field": ["x"]}}""";

    private static final String UNMATCHED = """
            {"version": "0", "id": "evt-1", "detail-type": "Thing Happened", "source": "com.acme.unknown", "account": "123456789012",
             "time": "2026-12-06T09:59:58Z", "region": "eu-west-1", "resources": ["arn:x"],
             "detail": {"status": "paid", "amount": -12.5e+3, "ok": true, "none": null, "list": [1, 0, {"a": "b\\u00e9\\n"}], "zero": 0}}""";

    private final CountingMapper mapper = new CountingMapper();

    /** Counts the trees the intake reads. */
    private static final class CountingMapper extends ObjectMapper {

        int trees;

        @Override
        public com.fasterxml.jackson.databind.JsonNode readTree(String content) throws com.fasterxml.jackson.core.JsonProcessingException {
            trees++;
            return super.readTree(content);
        }
    }

    private static EventIntake intake(ObjectMapper mapper, boolean withOpenPattern) {
        var catalog = new JobCatalog();
        var jobs = new ArrayList<RegisteredJob>();
        EXACT.forEach((name, pattern) -> jobs.add(registered(name, pattern)));
        if (withOpenPattern) {
            jobs.add(registered("open", OPEN));
        }
        catalog.replace(jobs, List.of());
        return new EventIntake(catalog, new RunDispatcher(catalog, new StartsOnlyEngine()), mapper, CLOCK);
    }

    private static RegisteredJob registered(String name, String pattern) {
        return new RegisteredJob(JobSpecs.parse(name + ".yaml", """
                name: %s
                owner: test-team
                image: example/test:1
                command: ["true"]
                triggers:
                  events:
                    - pattern: %s""".formatted(name, pattern)), name + ".yaml");
    }

    @Test
    void shouldAnswerAnEventFromASourceNoJobNamesWithoutEventRulerOrATree() {
        // Given jobs on exact sources only
        EventIntake intake = intake(mapper, false);

        // When events come from a source no job names, and from a named source with a detail-type no job names with it
        var results = new ArrayList<EventResult>();
        results.addAll(intake.accept(UNMATCHED).results());
        results.addAll(intake.acceptQueued(UNMATCHED.replace("com.acme.unknown", "aws.s3").replace("\"id\": \"evt-1\", ", ""), "msg-2",
                () -> {
                    throw new AssertionError("the queue's reader was asked for a tree");
                }).results());

        // Then both are answered as taken in, matching nothing, with no tree read and no event-ruler asked
        assertThat(results).extracting(EventResult::eventId).containsExactly("evt-1", "msg-2");
        assertThat(results).extracting(EventResult::source).containsExactly("com.acme.unknown", "aws.s3");
        assertThat(results).allSatisfy(result -> assertThat(result.runs()).isEmpty());
        assertThat(mapper.trees).isZero();
        assertThat(intake.eventsRuledOutBySource()).isEqualTo(2);

        // And an event from a named source goes to event-ruler: it starts its job, or matches nothing by its detail
        String upload = UNMATCHED.replace("com.acme.unknown", "aws.s3").replace("Thing Happened", "Object Created")
                .replace("\"status\": \"paid\"", "\"bucket\": {\"name\": \"landing\"}");
        assertThat(intake.accept(upload).results().get(0).runs()).extracting(StartedRun::job).containsExactly("uploads");
        assertThat(intake.accept(upload.replace("landing", "archive")).results().get(0).runs()).isEmpty();
        assertThat(intake.eventsRuledOutBySource()).isEqualTo(2);
    }

    @Test
    void shouldRefuseTextThatIsNotJsonAsBeforeEvenFromASourceNoJobNames() {
        // Given jobs on exact sources only, and bodies from an unnamed source whose detail is not JSON
        EventIntake intake = intake(mapper, false);
        List<String> details = List.of("tru", "nul", "falsey", "01", "-", "1.", ".5", "1e", "1e+", "+1", "0x10", "NaN", "Infinity",
                "1.5.2", "\"a\u0001b\"", "\"tab\tin\"", "\"bad \\x escape\"", "\"bad \\u12G4\"", "\"short \\u12\"", "'single'",
                "[1, 2,]", "{\"a\": 1,}", "{a: 1}", "[1 2]", "{\"a\" 1}", "{\"a\": 1 \"b\": 2}", "\"unterminated", "[", "{\"a\": [}");
        JsonBodies reader = new JsonBodies(new ObjectMapper());
        for (String detail : details) {
            String body = UNMATCHED.replace("\"status\": \"paid\"", "\"status\": " + detail);
            String before = refusal(() -> new IncomingEvents(new ObjectMapper(), CLOCK).parse(reader.read(body), Optional.empty()));

            // When the intake takes each in, Then it refuses it as the tree reader does, and rules out none
            assertThatThrownBy(() -> intake.accept(body)).as(body).isInstanceOf(MalformedRequestException.class).hasMessage(before);
        }
        assertThat(intake.eventsRuledOutBySource()).isZero();
    }

    @Test
    void shouldAnswerEveryTextAsAnIntakeWithoutTheIndexAndRuleOutOnlyWhatEventRulerReads() {
        // Given one intake whose jobs all name exact sources, and one that also has an open pattern (so never rules out)
        EventIntake indexed = intake(new ObjectMapper(), false);
        EventIntake unindexed = intake(new ObjectMapper(), true);
        var random = new SplittableRandom(20261206L);
        String alphabet = "{}[]\":,\\ 0123456789eE+-.truefalsn\u0001\t\nxu'é";
        int ruledOut = 0;
        int refused = 0;

        for (int n = 0; n < 5_000; n++) {
            // When a plain unmatched event, broken in one to three places, comes in to both
            var body = new StringBuilder(UNMATCHED);
            for (int k = 0; k < 1 + random.nextInt(3); k++) {
                int at = random.nextInt(body.length());
                char c = alphabet.charAt(random.nextInt(alphabet.length()));
                switch (random.nextInt(3)) {
                    case 0 -> body.setCharAt(at, c);
                    case 1 -> body.insert(at, c);
                    default -> body.deleteCharAt(at);
                }
            }
            String text = body.toString();
            long before = indexed.eventsRuledOutBySource();
            String got = outcome(() -> indexed.accept(text).results());
            String want = outcome(() -> unindexed.accept(text).results());

            // Then both answer alike; and the index rules out only text event-ruler's own reader reads
            assertThat(got).as(text).isEqualTo(want);
            if (indexed.eventsRuledOutBySource() > before) {
                ruledOut++;
                assertThat(readsAsEventRulerDoes(text)).as("ruled out without event-ruler, yet not JSON: %s", text).isTrue();
            }
            refused += got.startsWith("refused") ? 1 : 0;
        }
        // (the table means something: many were ruled out, many refused)
        assertThat(ruledOut).isGreaterThan(500);
        assertThat(refused).isGreaterThan(500);
    }

    /** What the intake answered, as text to compare: the results (an id it made up is left out), or the refusal. */
    private static String outcome(java.util.function.Supplier<List<EventResult>> accept) {
        try {
            return accept.get().stream().map(r -> (r.eventId().length() == 36 ? "<uuid>" : r.eventId()) + " " + r.source() + " "
                    + r.runs() + " " + r.errors()).toList().toString();
        } catch (RuntimeException e) {
            return "refused " + e.getClass().getSimpleName() + ": " + e.getMessage();
        }
    }

    /** Whether Jackson's default reader (event-ruler's) reads every token of the text, each value's text included. */
    private static boolean readsAsEventRulerDoes(String text) {
        try (JsonParser parser = new JsonFactory().createParser(text)) {
            while (parser.nextToken() != null) {
                parser.getText();
            }
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    private static String refusal(Runnable read) {
        try {
            read.run();
        } catch (MalformedRequestException e) {
            return e.getMessage();
        }
        throw new AssertionError("the tree reader accepted it");
    }
}
