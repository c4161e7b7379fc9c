package dev.skiff.workflows;

import dev.skiff.jobs.FailureKind;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Steps of a {@link Workflow} built directly, for tests of the graph alone. */
final class TestSteps {

    private TestSteps() {
    }

    static Step step(String name, String... dependsOn) {
        return new Step(name, List.of(dependsOn), Duration.ofHours(1), TestJobs.retries(2, FailureKind.START_FAILURE, FailureKind.LOST), Optional.empty());
    }
}
