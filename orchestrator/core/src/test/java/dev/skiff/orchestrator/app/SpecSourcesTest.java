package dev.skiff.orchestrator.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the catalog hears from the sources of a registry: only the jobs a change touched, with every rule (first
 * source wins, cycles left out, invalid sources keep their last valid job) as when everything was decided anew.
 */
class SpecSourcesTest {

    private final JobCatalog catalog = new JobCatalog();
    private final SpecSources sources = new SpecSources(Logger.getLogger(SpecSourcesTest.class));
    private final List<Set<String>> changes = new ArrayList<>();
    private final List<String> removed = new ArrayList<>();

    @BeforeEach
    void listen() {
        catalog.onChange(snapshot -> changes.add(snapshot.changed()));
        RemovedJobs.subscribe(catalog, removed::add);
    }

    private static String spec(String name, String triggers) {
        return """
                name: %s
                owner: test-team
                image: example/%s:1
                command: ["true"]
                """.formatted(name, name) + triggers;
    }

    private static String cron(String expression) {
        return """
                triggers:
                  schedules:
                    - cron: "%s"
                """.formatted(expression);
    }

    private static String onEvent(String source) {
        return """
                triggers:
                  events:
                    - pattern: {source: [%s]}
                """.formatted(source);
    }

    private static String after(String job) {
        return """
                triggers:
                  after:
                    - job: %s
                """.formatted(job);
    }

    private void put(String source, String text) {
        sources.update(source, "v" + changes.size(), text);
    }

    private List<String> routed(String source) {
        return catalog.snapshot().router().route("{\"source\": \"" + source + "\", \"detail\": {}}").stream()
                .map(dev.skiff.jobs.EventMatch::jobName).toList();
    }

    @Test
    void shouldGiveTheCatalogOnlyTheJobWhoseSpecChanged() {
        // Given three jobs loaded: two on a schedule, one on an event
        put("a.yaml", spec("a", cron("0 * * * *")));
        put("b.yaml", spec("b", cron("0 * * * *")));
        put("c.yaml", spec("c", onEvent("shop")));
        sources.publish(catalog);
        RegisteredJob aBefore = catalog.snapshot().jobs().get("a");

        // When b's schedule and c's pattern change, one after the other
        put("b.yaml", spec("b", cron("30 * * * *")));
        sources.publish(catalog);
        put("c.yaml", spec("c", onEvent("billing")));
        sources.publish(catalog);

        // Then each change named only its job, the others stayed as they were, and the router follows c's new pattern
        assertThat(changes).containsExactly(Set.of("a", "b", "c"), Set.of("b"), Set.of("c"));
        assertThat(catalog.snapshot().jobs().get("a")).isSameAs(aBefore);
        assertThat(catalog.snapshot().jobs().get("b").spec().triggers().schedules().get(0).expression()).isEqualTo("30 * * * *");
        assertThat(routed("billing")).containsExactly("c");
        assertThat(routed("shop")).isEmpty();
        assertThat(catalog.snapshot().jobs()).containsOnlyKeys("a", "b", "c");
    }

    @Test
    void shouldNotTellTheCatalogAnythingWhenNothingChanged() {
        put("a.yaml", spec("a", cron("0 * * * *")));
        sources.publish(catalog);

        sources.publish(catalog);

        assertThat(changes).hasSize(1);
    }

    @Test
    void shouldRemoveTheJobAndItsRulesWhenItsSpecGoes() {
        // Given a job on an event and another job
        put("c.yaml", spec("c", onEvent("shop")));
        put("d.yaml", spec("d", onEvent("shop")));
        sources.publish(catalog);

        // When c's source is deleted
        sources.forget("c.yaml");
        sources.publish(catalog);

        // Then c is gone with its rule, only c was named, and d still matches
        assertThat(catalog.find("c")).isEmpty();
        assertThat(routed("shop")).containsExactly("d");
        assertThat(changes.get(1)).containsExactly("c");
        assertThat(removed).containsExactly("c");
    }

    @Test
    void shouldLetTheSecondSourceTakeOverWhenTheFirstOfTwoWithTheSameJobGoes() {
        put("a.yaml", spec("x", cron("0 * * * *")));
        put("b.yaml", spec("x", cron("30 * * * *")));
        sources.publish(catalog);
        assertThat(catalog.snapshot().jobs().get("x").source()).isEqualTo("a.yaml");
        assertThat(catalog.snapshot().problems()).extracting(SpecProblem::source).containsExactly("b.yaml");

        sources.forget("a.yaml");
        sources.publish(catalog);

        assertThat(catalog.snapshot().jobs().get("x").source()).isEqualTo("b.yaml");
        assertThat(catalog.snapshot().problems()).isEmpty();
    }

    @Test
    void shouldKeepTheSourcesOfOneJobInOrderWhateverOrderTheyComeAndGoIn() {
        // Given three sources of job x read out of order, and one of job y
        put("c.yaml", spec("x", cron("0 * * * *")));
        put("a.yaml", spec("x", cron("10 * * * *")));
        put("b.yaml", spec("x", cron("20 * * * *")));
        put("d.yaml", spec("y", cron("30 * * * *")));
        sources.publish(catalog);
        assertThat(sources.sourcesOf("x")).containsExactly("a.yaml", "b.yaml", "c.yaml");
        assertThat(catalog.snapshot().jobs().get("x").source()).isEqualTo("a.yaml");

        // When the middle one names another job, and the first goes
        put("b.yaml", spec("y", cron("40 * * * *")));
        sources.forget("a.yaml");
        sources.publish(catalog);

        // Then each job keeps its remaining sources in order, and the first of them defines it
        assertThat(sources.sourcesOf("x")).containsExactly("c.yaml");
        assertThat(sources.sourcesOf("y")).containsExactly("b.yaml", "d.yaml");
        assertThat(catalog.snapshot().jobs().get("x").source()).isEqualTo("c.yaml");
        assertThat(catalog.snapshot().jobs().get("y").source()).isEqualTo("b.yaml");
        assertThat(catalog.snapshot().problems()).extracting(SpecProblem::source).containsExactly("d.yaml");

        // And a job whose last source goes has none
        sources.forget("c.yaml");
        sources.publish(catalog);
        assertThat(sources.sourcesOf("x")).isEmpty();
        assertThat(catalog.snapshot().jobs()).doesNotContainKey("x");
    }

    @Test
    void shouldLeaveOutTheLastJobOfACycleAChangeClosesAndLoadItAgainOnceTheCycleIsBroken() {
        // Given b runs after a
        put("a.yaml", spec("a", ""));
        put("b.yaml", spec("b", after("a")));
        sources.publish(catalog);

        // When a is changed to run after b: a cycle
        put("a.yaml", spec("a", after("b")));
        sources.publish(catalog);

        // Then b, last by name, is left out with the cycle named, and a has its new version
        assertThat(catalog.find("b")).isEmpty();
        assertThat(catalog.find("a").orElseThrow().triggers().after()).hasSize(1);
        assertThat(catalog.snapshot().problems()).singleElement().satisfies(problem -> {
            assertThat(problem.source()).isEqualTo("b.yaml");
            assertThat(problem.problems().get(0)).contains("closes a cycle", "a after b after a");
        });
        assertThat(routed("skiff.runs")).isEmpty();

        // When a no longer follows b
        put("a.yaml", spec("a", ""));
        sources.publish(catalog);

        // Then b loads again, and no problem is left
        assertThat(catalog.find("b")).isPresent();
        assertThat(catalog.snapshot().problems()).isEmpty();
    }

    @Test
    void shouldLoadTheLeftOutJobWhenTheOtherJobOfItsCycleIsDeleted() {
        put("a.yaml", spec("a", after("b")));
        put("b.yaml", spec("b", after("a")));
        sources.publish(catalog);
        assertThat(catalog.snapshot().jobs()).containsOnlyKeys("a");

        sources.forget("a.yaml");
        sources.publish(catalog);

        assertThat(catalog.snapshot().jobs()).containsOnlyKeys("b");
        assertThat(catalog.snapshot().problems()).isEmpty();
    }

    @Test
    void shouldKeepTheLastValidVersionWhenASpecTurnsInvalid() {
        put("a.yaml", spec("a", cron("0 * * * *")));
        sources.publish(catalog);

        put("a.yaml", spec("a", cron("not a cron")));
        sources.publish(catalog);

        assertThat(catalog.find("a")).isPresent();
        assertThat(catalog.snapshot().problems()).singleElement()
                .satisfies(problem -> assertThat(problem.keptJob()).contains("a"));
        assertThat(changes.get(1)).isEmpty();
    }
}
