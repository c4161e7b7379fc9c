package dev.skiff.jobs;

import static dev.skiff.jobs.SpecFixtures.SOURCE;
import static dev.skiff.jobs.SpecFixtures.parseMinimalWith;
import static dev.skiff.jobs.SpecFixtures.violationsOfMinimalWith;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** triggers.after, notify and a schedule's deadline: the model they become, and every rule with its exact violation. */
class JobSpecsRunEventsTest {

    @Test
    void shouldFollowTheUpstreamJobsSuccessWithItsSameNamedParametersWhenOnlyTheJobIsGiven() {
        // Given a job that follows extract and declares DATE
        JobSpec job = parseMinimalWith("""
                parameters:
                  DATE: {required: true}
                  MODE: {default: full}
                triggers:
                  after:
                    - job: extract
                """);

        // Then it follows extract's SUCCEEDED runs, DATE and MODE taken from the upstream run's parameters of that name
        AfterTrigger after = job.triggers().after().get(0);
        assertThat(after.statuses()).containsExactly(RunEvents.Kind.SUCCEEDED);
        assertThat(after.parameters()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "DATE", "$.detail.parameters.DATE", "MODE", "$.detail.parameters.MODE"));
        // and it is an event pattern on Skiff's run events, served with the job's other event triggers
        assertThat(after.asEventTrigger().pattern()).isEqualTo(
                "{\"detail\":{\"job\":[\"extract\"]},\"detail-type\":[\"Run Succeeded\"],\"source\":[\"skiff.runs\"]}");
        assertThat(job.triggers().allEvents()).containsExactly(after.asEventTrigger());
    }

    @Test
    void shouldRouteAnUpstreamRunEventToTheFollowerWithItsParameters() {
        JobSpec follower = parseMinimalWith("""
                parameters:
                  DAY: {required: true}
                triggers:
                  after:
                    - job: extract
                      status: [FAILED, TIMED_OUT]
                      parameters: {DAY: $.detail.parameters.DATE}
                """);
        EventRouter router = EventRouter.of(List.of(follower));

        String failed = """
                {"id": "x", "source": "skiff.runs", "detail-type": "Run Failed",
                 "detail": {"job": "extract", "runId": "extract-c-1", "parameters": {"DATE": "2026-12-01"}}}""";
        String succeeded = failed.replace("Run Failed", "Run Succeeded");
        String otherJob = failed.replace("\"extract\"", "\"other\"");

        assertThat(router.route(failed)).singleElement()
                .satisfies(match -> assertThat(match.parameters()).containsExactlyEntriesOf(Map.of("DAY", "2026-12-01")));
        assertThat(router.route(succeeded)).isEmpty();
        assertThat(router.route(otherJob)).isEmpty();
    }

    @Test
    void shouldReportEveryAfterProblemWithItsPathAtOnce() {
        var violations = violationsOfMinimalWith("""
                parameters:
                  DATE: {required: true}
                triggers:
                  after:
                    - job: demo
                    - job: Extract
                    - job: extract
                      status: [SUCCEEDED, STARTED]
                      parameters: {WHEN: $.detail.parameters.DATE}
                    - job: load
                      status: done
                      parameters: {DATE: "detail.parameters.DATE"}
                """);

        assertThat(violations).containsExactlyInAnyOrder(
                SOURCE + ": triggers.after[0].job: demo is this job itself: a job that follows itself would start"
                        + " a run at the end of each of its runs, for ever",
                SOURCE + ": triggers.after[1].job: Extract must be a job name: lowercase letters, digits and '-',"
                        + " starting and ending with a letter or digit",
                SOURCE + ": triggers.after[2].status[1]: STARTED must be SUCCEEDED, FAILED, TIMED_OUT or CANCELLED"
                        + " (how the upstream run ended)",
                SOURCE + ": triggers.after[2].parameters.WHEN: is not a declared parameter (declared: DATE)",
                SOURCE + ": triggers.after[2].parameters: does not set required parameter DATE",
                SOURCE + ": triggers.after[3].status: done must be SUCCEEDED, FAILED, TIMED_OUT or CANCELLED"
                        + " (how the upstream run ended)",
                SOURCE + ": triggers.after[3].parameters.DATE: detail.parameters.DATE must be an event path starting"
                        + " with $. (like $.detail.parameters.DATE)");
    }

    @Test
    void shouldReadEachNotifyChannelAndTheDeadline() {
        JobSpec job = parseMinimalWith("""
                triggers:
                  schedules:
                    - cron: "0 2 * * *"
                      deadline: 2h
                notify:
                  failed: ["https://hooks.example.com/services/T0/B0?token=abc", "arn:aws:sns:eu-west-1:123456789012:alerts", log]
                  deadline-missed: [log]
                """);

        assertThat(job.triggers().schedules().get(0).deadline()).contains(Duration.ofHours(2));
        assertThat(job.notifications().on(NotifyOn.FAILED)).extracting(NotifyChannel::kind).containsExactly(
                NotifyChannel.Kind.WEBHOOK, NotifyChannel.Kind.SNS, NotifyChannel.Kind.LOG);
        assertThat(job.notifications().on(NotifyOn.FAILED).get(0).shown())
                .isEqualTo("https://hooks.example.com/…");
        assertThat(job.notifications().on(NotifyOn.DEADLINE_MISSED)).extracting(NotifyChannel::kind)
                .containsExactly(NotifyChannel.Kind.LOG);
        assertThat(job.notifications().on(NotifyOn.SUCCEEDED)).isEmpty();
        assertThat(parseMinimalWith("").notifications().isEmpty()).isTrue();
        assertThat(parseMinimalWith("triggers: {schedules: [{cron: '0 2 * * *'}]}\n").triggers().schedules().get(0)
                .deadline()).isEqualTo(Optional.empty());
    }

    @Test
    void shouldReportEveryNotifyAndDeadlineProblemWithItsPathAtOnce() {
        var violations = violationsOfMinimalWith("""
                triggers:
                  schedules:
                    - cron: "0 2 * * *"
                      deadline: 9d
                notify:
                  failed: ["ftp://example.com/x", "https://user:secret@example.com/hook", "arn:aws:sqs:eu-west-1:123456789012:q"]
                  late: [log]
                """);

        assertThat(violations).containsExactlyInAnyOrder(
                SOURCE + ": triggers.schedules[0].deadline: 9d must be between 1s and 7d",
                SOURCE + ": notify.failed[0]: ftp://example.com/x must be a webhook URL (https://...), an SNS topic"
                        + " ARN (arn:aws:sns:...) or log",
                SOURCE + ": notify.failed[1]: https://user:secret@example.com/hook must not hold a user or password"
                        + " (they would show wherever the spec or the URL is shown); put the credential in the receiving"
                        + " service's URL path instead",
                SOURCE + ": notify.failed[2]: arn:aws:sqs:eu-west-1:123456789012:q must be an SNS topic ARN"
                        + " (arn:aws:sns:<region>:<account>:<topic>)",
                SOURCE + ": notify.late: is not a known field (known: cancelled, deadline-missed, failed, succeeded,"
                        + " timed-out)");
    }

    @Test
    void shouldNameTheCycleAJobWouldCloseBetweenJobs() {
        JobSpec a = job("a", "c");
        JobSpec b = job("b", "a");
        JobSpec c = job("c", "b");

        assertThat(JobFollowers.cycleThrough(c, List.of(a, b))).contains(List.of("c", "b", "a", "c"));
        assertThat(JobFollowers.cycleThrough(job("c", "x"), List.of(a, b))).isEmpty();
        assertThat(JobFollowers.unknownUpstreams(c, Set.of("a", "c"))).containsExactly("b");
    }

    private static JobSpec job(String name, String after) {
        return JobSpecs.parse(name + ".yaml", SpecFixtures.MINIMAL.replace("name: demo", "name: " + name)
                + "triggers: {after: [{job: " + after + "}]}\n");
    }
}
