package dev.skiff.orchestrator.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.orchestrator.TestSpecs;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class RemovedJobsTest {

    private final JobCatalog catalog = new JobCatalog();

    private void load(String... names) {
        catalog.replace(List.of(names).stream().map(n -> new RegisteredJob(TestSpecs.shell(n, "true"), n + ".yaml")).toList(),
                List.of());
    }

    @Test
    void shouldNameOnlyTheJobsAChangeRemovedWhenTheCatalogChanges() {
        // Given jobs loaded before the subscription, and after
        load("a", "b");
        var removed = new CopyOnWriteArrayList<String>();
        RemovedJobs.subscribe(catalog, removed::add);
        load("a", "b", "c");

        // When
        load("a");
        load("a");

        // Then
        assertThat(removed).containsExactlyInAnyOrder("b", "c");
    }

    @Test
    void shouldTellTheOtherListenersWhenACleanUpFails() {
        // Given
        load("a");
        RemovedJobs.subscribe(catalog, job -> {
            throw new IllegalStateException("ECS is down");
        });
        var heard = new CopyOnWriteArrayList<Integer>();
        catalog.onChange(snapshot -> heard.add(snapshot.jobs().size()));

        // When
        load();

        // Then
        assertThat(heard).containsExactly(0);
    }
}
