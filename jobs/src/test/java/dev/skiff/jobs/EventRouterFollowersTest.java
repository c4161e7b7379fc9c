package dev.skiff.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * {@code triggers.after} is routed by a map of followers, not by a rule of its own per upstream job: the jobs it
 * starts must be exactly those its pattern ({@link AfterTrigger#asEventTrigger}) starts through event-ruler, for every
 * way an event can name a job, on every entry of the router, and after changes.
 */
class EventRouterFollowersTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static JobSpec job(String name, String triggersYaml) {
        return JobSpecs.parse(name, SpecFixtures.MINIMAL.replace("name: demo", "name: " + name) + """
                parameters:
                  RUN: {default: none}
                  STATUS: {default: none}
                """ + triggersYaml);
    }

    /** The same job with each {@code after} given as the event trigger it stands for: what event-ruler alone matches. */
    private static JobSpec asPatterns(JobSpec job) {
        return new JobSpec(job.name(), job.description(), job.owner(), job.image(), job.command(), job.args(),
                job.environment(), job.secrets(), job.resources(), job.capacity(), job.timeout(), job.retries(),
                job.parameters(), job.tags(), new Triggers(job.triggers().schedules(), job.triggers().allEvents(), List.of()),
                job.steps(), job.notifications());
    }

    private static final List<JobSpec> JOBS = List.of(
            job("upstream", "triggers: {events: [{pattern: {source: [shop]}}]}\n"),
            job("on-success", "triggers: {after: [{job: upstream, parameters: {RUN: $.detail.runId}}]}\n"),
            job("on-any-end", "triggers: {after: [{job: upstream, status: [SUCCEEDED, FAILED, TIMED_OUT, CANCELLED],"
                    + " parameters: {STATUS: $.detail.status}}]}\n"),
            job("on-failure", "triggers: {after: [{job: other, status: [FAILED]}, {job: upstream, status: [FAILED]}]}\n"),
            job("own-pattern", """
                    triggers:
                      events: [{pattern: {source: [skiff.runs], detail-type: [Run Failed]}}]
                      after: [{job: upstream}]
                    """),
            job("other", "triggers: {events: [{pattern: {source: [shop], detail-type: [order]}}]}\n"));

    private static String runEvent(String detailType, String detail) {
        return """
                {"id": "e-1", "source": "skiff.runs", "detail-type": %s, "detail": %s}
                """.formatted(detailType, detail);
    }

    /** Run events naming jobs in every way event-ruler reads one, and some that name none. */
    private static final List<String> EVENTS = List.of(
            runEvent("\"Run Succeeded\"", "{\"job\": \"upstream\", \"runId\": \"r-1\", \"status\": \"SUCCEEDED\"}"),
            runEvent("\"Run Failed\"", "{\"job\": \"upstream\", \"runId\": \"r-2\", \"status\": \"FAILED\"}"),
            runEvent("\"Run Failed\"", "{\"job\": \"other\"}"),
            runEvent("\"Run Timed Out\"", "{\"job\": \"upstream\"}"),
            runEvent("\"Run Started\"", "{\"job\": \"upstream\"}"),
            runEvent("\"Run Failed\"", "{\"job\": [\"upstream\", \"other\"]}"),
            runEvent("\"Run Failed\"", "[{\"job\": \"upstream\"}, {\"job\": [[\"other\"]]}]"),
            runEvent("[\"Run Started\", \"Run Failed\"]", "{\"job\": \"upstream\"}"),
            runEvent("\"Run Succeeded\"", "{\"job\": \"upstre\\u0061m\"}"),
            runEvent("\"Run Succeeded\"", "{\"job\": 5}"),
            runEvent("\"Run Succeeded\"", "{\"job\": {\"name\": \"upstream\"}}"),
            runEvent("\"Run Succeeded\"", "{\"jobs\": \"upstream\"}"),
            runEvent("\"Run Succeeded\"", "{}"),
            "{\"id\": \"e-2\", \"source\": \"skiff.runs\", \"detail-type\": \"Run Succeeded\", \"detail.job\": \"upstream\"}",
            "{\"id\": \"e-3\", \"source\": [\"shop\", \"skiff.runs\"], \"detail-type\": \"Run Failed\", \"detail\": {\"job\": \"upstream\"}}",
            "{\"id\": \"e-4\", \"source\": \"skiff.run\", \"detail-type\": \"Run Failed\", \"detail\": {\"job\": \"upstream\"}}",
            "{\"id\": \"e-5\", \"source\": \"shop\", \"detail-type\": \"order\", \"detail\": {\"job\": \"upstream\"}}");

    /** Text that gives a key twice: event-ruler matches each value on the text, the tree keeps the last. */
    private static final String TWICE = runEvent("\"Run Failed\"", "{\"job\": \"other\", \"job\": \"upstream\"}");

    private static List<List<EventMatch>> routed(EventRouter router) throws Exception {
        var all = new ArrayList<List<EventMatch>>();
        for (String event : EVENTS) {
            all.add(router.route(event));
            all.add(router.route(JSON.readTree(event)));
            all.add(router.route(event, () -> readTree(event)));
            all.add(router.route(new EventText(event, "e-1", JSON)));
        }
        all.add(router.route(TWICE, () -> readTree(TWICE)));
        all.add(router.route(TWICE));
        return all;
    }

    private static com.fasterxml.jackson.databind.JsonNode readTree(String event) {
        try {
            return JSON.readTree(event);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void shouldStartExactlyTheJobsTheirPatternsWouldOnEveryWayAnEventNamesAJob() throws Exception {
        // Given the jobs routed with followers, and the same jobs with each after as its event pattern
        var followers = EventRouter.of(JOBS);
        var patterns = EventRouter.of(JOBS.stream().map(EventRouterFollowersTest::asPatterns).toList());

        // When every event goes through every entry / Then both start the same jobs, by the same triggers and parameters
        var expected = routed(patterns);
        assertThat(routed(followers)).isEqualTo(expected);
        assertThat(expected.stream().filter(matches -> !matches.isEmpty())).hasSizeGreaterThan(20);
    }

    @Test
    void shouldStartExactlyTheJobsTheirPatternsWouldAfterFollowersChangeAndGo() throws Exception {
        var followers = EventRouter.of(JOBS);
        var patterns = EventRouter.of(JOBS.stream().map(EventRouterFollowersTest::asPatterns).toList());
        var changes = List.of(
                // one follows other ends now, one goes, and a job that followed nothing follows now
                List.of(job("on-success", "triggers: {after: [{job: upstream, status: [TIMED_OUT]}]}\n"),
                        job("other", "triggers: {after: [{job: upstream, status: [FAILED]}]}\n")),
                // the last follower of the failures of upstream goes: its rule goes with it
                List.of(job("on-failure", "triggers: {after: [{job: other, status: [SUCCEEDED]}]}\n"),
                        job("other", "triggers: {events: [{pattern: {source: [shop]}}]}\n"),
                        job("on-any-end", "triggers: {after: [{job: upstream, status: [SUCCEEDED]}]}\n")),
                // and comes back
                List.of(job("on-any-end", "triggers: {after: [{job: upstream, status: [FAILED, SUCCEEDED]}]}\n")));
        for (var change : changes) {
            followers.change(change, List.of());
            patterns.change(change.stream().map(EventRouterFollowersTest::asPatterns).toList(), List.of());
            assertThat(routed(followers)).isEqualTo(routed(patterns));
        }
        followers.change(List.of(), List.of("on-any-end", "own-pattern"));
        patterns.change(List.of(), List.of("on-any-end", "own-pattern"));
        assertThat(routed(followers)).isEqualTo(routed(patterns));
        followers.update(Stream.concat(JOBS.stream().skip(2), Stream.of(JOBS.get(1))).toList());
        patterns.update(Stream.concat(JOBS.stream().skip(2), Stream.of(JOBS.get(1))).map(EventRouterFollowersTest::asPatterns).toList());
        assertThat(routed(followers)).isEqualTo(routed(patterns));
    }

    @Test
    void shouldCompileOneRulePerSetOfEndsFollowedNotOnePerUpstreamJob() {
        // Given a thousand jobs, each following another
        var jobs = new ArrayList<JobSpec>();
        for (int i = 0; i < 1000; i++) {
            jobs.add(job("job-" + i, i == 0 ? "" : "triggers: {after: [{job: job-" + (i - 1) + "}]}\n"));
        }
        var router = EventRouter.of(jobs);

        // When one ends / Then its follower starts, from a machine of one rule
        assertThat(router.route(runEvent("\"Run Succeeded\"", "{\"job\": \"job-41\"}")))
                .extracting(EventMatch::jobName).containsExactly("job-42");
        assertThat(router.compiledRules()).isEqualTo(1);
    }
}
