package dev.skiff.jobs;

import static dev.skiff.jobs.SpecFixtures.jobWithEventPatterns;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Removing or changing one job never stops another from matching. event-ruler 2.1.0's deleteRule can strand a rule that
 * shares a value with the deleted one on a field where a wildcard or equals-ignore-case pattern also lies: the smallest
 * history is add A, add a job matching the same field ignoring case, add B with A's pattern, delete A; B then matches
 * nothing, though a machine built afresh from B and the other job matches it.
 */
class EventRouterRuleDeletionTest {

    private static final String EVENT = """
            {"source": "aws.s3", "detail-type": "Object Created", "detail": {}}""";
    private static final String IGNORING_CASE = """
            {"source": [{"equals-ignore-case": "AWS.S3"}]}""";

    private static List<String> jobNames(EventRouter router) {
        return router.route(EVENT).stream().map(EventMatch::jobName).toList();
    }

    @Test
    void shouldKeepMatchingAJobWhoseOrPatternAnotherRemovedJobHadToo() {
        // Given two jobs with the same $or pattern, and one between them matching the source ignoring case
        String either = """
                {"$or": [{"source": ["aws.s3"]}, {"detail-type": ["Order Placed"]}]}""";
        var router = EventRouter.of(List.of(jobWithEventPatterns("a", either), jobWithEventPatterns("case", IGNORING_CASE),
                jobWithEventPatterns("b", either)));

        // When the first job is removed
        router.change(List.of(), List.of("a"));

        // Then the other job with that pattern still starts
        assertThat(jobNames(router)).containsExactly("case", "b");
    }

    @Test
    void shouldKeepMatchingAJobWhosePlainPatternAnotherChangedJobHad() {
        // Given two jobs on the same exact source, and one between them on a wildcard over it
        String exact = """
                {"source": ["aws.s3"]}""";
        var router = EventRouter.of(List.of(jobWithEventPatterns("a", exact),
                jobWithEventPatterns("wild", """
                        {"source": [{"wildcard": "aws.*"}]}"""), jobWithEventPatterns("b", exact)));

        // When the first job's pattern changes
        router.change(List.of(jobWithEventPatterns("a", """
                {"source": ["com.acme.orders"]}""")), List.of());

        // Then the other job with the old pattern still starts, and the changed one no longer does
        assertThat(jobNames(router)).containsExactly("wild", "b");
    }

    @Test
    void shouldKeepMatchingAJobSharingOnlyOneBranchOfTheRemovedJobsOr() {
        // Given a job whose $or has a branch equal to another job's whole pattern, and a job ignoring case between them
        var router = EventRouter.of(List.of(jobWithEventPatterns("a", """
                        {"$or": [{"source": ["aws.s3"]}, {"detail-type": ["Order Placed"]}]}"""),
                jobWithEventPatterns("case", IGNORING_CASE), jobWithEventPatterns("b", """
                        {"source": ["aws.s3"]}""")));

        // When the job with the $or is removed by an update
        router.update(List.of(jobWithEventPatterns("case", IGNORING_CASE), jobWithEventPatterns("b", """
                {"source": ["aws.s3"]}""")));

        // Then the job sharing its branch still starts
        assertThat(jobNames(router)).containsExactly("case", "b");
    }
}
