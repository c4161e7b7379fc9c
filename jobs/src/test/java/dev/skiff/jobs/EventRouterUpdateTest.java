package dev.skiff.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EventRouterUpdateTest {

    private static final String ORDER = """
            {"id": "e-1", "source": "shop", "detail-type": "Order", "detail": {"amount": %d, "id": "o-7"}}""";

    private static JobSpec job(String name, String pattern) {
        return JobSpecs.parse(name, SpecFixtures.MINIMAL.replace("name: demo", "name: " + name) + """
                parameters:
                  ID: {}
                triggers:
                  events:
                    - pattern: %s
                      parameters: {ID: $.detail.id}
                """.formatted(pattern));
    }

    private static List<String> jobsMatching(EventRouter router, int amount) {
        return router.route(ORDER.formatted(amount)).stream().map(EventMatch::jobName).toList();
    }

    @Test
    void shouldMatchOnlyTheNewPatternWhenAJobChanges() {
        // Given a large-order job and a job that takes every order
        var router = EventRouter.of(List.of(job("large", "{detail: {amount: [{numeric: ['>', 100]}]}}"), job("all", "{source: [shop]}")));

        // When the large-order threshold moves to 1000
        router.update(List.of(job("large", "{detail: {amount: [{numeric: ['>', 1000]}]}}"), job("all", "{source: [shop]}")));

        // Then a 500 order is no longer large, a 5000 one is, and the unchanged job still matches both
        assertThat(jobsMatching(router, 500)).containsExactly("all");
        assertThat(jobsMatching(router, 5000)).containsExactly("large", "all");
    }

    @Test
    void shouldStopMatchingWhenAJobIsRemovedAndFollowTheNewOrder() {
        var router = EventRouter.of(List.of(job("a", "{source: [shop]}"), job("b", "{source: [shop]}"), job("c", "{source: [shop]}")));

        router.update(List.of(job("c", "{source: [shop]}"), job("a", "{source: [shop]}")));

        assertThat(jobsMatching(router, 1)).containsExactly("c", "a");
    }

    @Test
    void shouldTakeNewParameterPathsWhenOnlyTheParametersChange() {
        var router = EventRouter.of(List.of(job("a", "{source: [shop]}")));
        var renamed = JobSpecs.parse("a", SpecFixtures.MINIMAL.replace("name: demo", "name: a") + """
                parameters:
                  AMOUNT: {}
                triggers:
                  events:
                    - pattern: {source: [shop]}
                      parameters: {AMOUNT: $.detail.amount}
                """);

        router.update(List.of(renamed));

        assertThat(router.route(ORDER.formatted(42))).containsExactly(new EventMatch("a", 0, Map.of("AMOUNT", "42")));
    }

    @Test
    void shouldKeepThePreviousJobsWhenAnUpdateFails() {
        // Given
        var router = EventRouter.of(List.of(job("a", "{source: [shop]}")));

        // When an update brings a changed job and a duplicate name
        assertThatThrownBy(() -> router.update(List.of(job("a", "{source: [other]}"), job("b", "{source: [shop]}"), job("b", "{source: [shop]}"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("job b appears twice; job names are unique");

        // Then the router still serves the old set, and the failed update's rules are gone
        assertThat(jobsMatching(router, 1)).containsExactly("a");
        assertThat(router.route("{\"source\": \"other\"}")).isEmpty();
    }

    @Test
    void shouldMatchAJobAgainWhenItIsRemovedAndAddedBack() {
        var router = EventRouter.of(List.of(job("a", "{source: [shop]}")));

        router.update(List.of());
        assertThat(jobsMatching(router, 1)).isEmpty();
        router.update(List.of(job("a", "{source: [shop]}")));

        assertThat(jobsMatching(router, 1)).containsExactly("a");
    }

    @Test
    void shouldKnowWhetherAPatternNamesTheEventIdThroughChanges() {
        // Given a router whose jobs match on source only
        var router = EventRouter.of(List.of(job("all", "{source: [shop]}")));
        assertThat(router.matchesOnEventId()).isFalse();

        // When a job whose pattern names the event's id is added, changed to another id, then removed
        router.change(List.of(job("by-id", "{id: [e-1]}")), List.of());
        assertThat(router.matchesOnEventId()).isTrue();
        router.change(List.of(job("by-id", "{id: [e-2]}")), List.of());
        assertThat(router.matchesOnEventId()).isTrue();
        router.change(List.of(), List.of("by-id"));

        // Then the router says so at each step, and no longer once it is gone
        assertThat(router.matchesOnEventId()).isFalse();
        router.change(List.of(job("by-id", "{id: [e-1]}")), List.of());
        router.change(List.of(job("by-id", "{source: [shop]}")), List.of());
        assertThat(router.matchesOnEventId()).isFalse();
    }
}
