package dev.skiff.orchestrator.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skiff.jobs.JobSpec;
import dev.skiff.testing.SettableClock;
import dev.skiff.orchestrator.TestSpecs;
import dev.skiff.orchestrator.adapter.embedded.EmbeddedRunEngine;
import dev.skiff.orchestrator.adapter.embedded.H2RunStore;
import dev.skiff.orchestrator.domain.InvalidRequestException;
import dev.skiff.orchestrator.domain.NotFoundException;
import dev.skiff.orchestrator.domain.Trigger;
import dev.skiff.orchestrator.port.RecordingTaskLauncher;
import dev.skiff.orchestrator.port.RunEngine;
import dev.skiff.orchestrator.port.RunListener;
import dev.skiff.workflows.RunStatus;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The dispatcher over the real embedded engine (in-memory H2, recording launcher). */
class RunDispatcherTest {

    private static final JobSpec GREET = TestSpecs.shell("greet", "echo hello $WHO$PUNCTUATION", """
            parameters:
              WHO: {required: true, description: who to greet}
              PUNCTUATION: {default: "!"}""");

    private final SettableClock clock = new SettableClock(Instant.parse("2026-11-26T10:00:00Z"));
    private final JobCatalog catalog = new JobCatalog();
    private H2RunStore store;
    private RunEngine engine;
    private RunDispatcher dispatcher;

    @BeforeEach
    void createDispatcher() {
        store = H2RunStore.inMemory("dispatch-" + UUID.randomUUID());
        engine = new EmbeddedRunEngine(store, new RecordingTaskLauncher(clock), new RunListener() { }, clock, 8);
        dispatcher = new RunDispatcher(catalog, engine);
        catalog.replace(List.of(new RegisteredJob(GREET, "greet.yaml")), List.of());
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    @Test
    void shouldStartAPendingRunWithDefaultsAppliedWhenTheParametersFit() {
        // Given / When a trigger gives the required parameter only
        var started = dispatcher.dispatch(new Trigger("greet", "greet-k-0001", "api", Map.of("WHO", "Ada")));

        // Then the run is created with the trigger's id and source, and the default filled in
        assertThat(started.created()).isTrue();
        assertThat(started.run().runId()).isEqualTo("greet-k-0001");
        assertThat(started.run().trigger()).isEqualTo("api");
        assertThat(started.run().status()).isEqualTo(RunStatus.PENDING);
        assertThat(started.run().parameters()).isEqualTo(Map.of("WHO", "Ada", "PUNCTUATION", "!"));
        assertThat(started.run().createdAt()).isEqualTo(clock.instant());
    }

    @Test
    void shouldReturnTheExistingRunWhenTheSameRunIdIsDispatchedAgain() {
        // Given a dispatched run
        dispatcher.dispatch(new Trigger("greet", "greet-k-0002", "api", Map.of("WHO", "Ada")));

        // When the same run id comes again, with other values
        var again = dispatcher.dispatch(new Trigger("greet", "greet-k-0002", "api", Map.of("WHO", "Grace")));

        // Then nothing new starts, and the first run's values stand
        assertThat(again.created()).isFalse();
        assertThat(again.run().parameters()).containsEntry("WHO", "Ada");
    }

    @Test
    void shouldStartByTheSpecGivenWithoutLookingInTheCatalog() {
        // Given a spec the catalog does not hold (a reload removed it after the caller read it)
        JobSpec gone = TestSpecs.shell("gone", "true");

        // When it is dispatched with its spec, and a trigger of another job is dispatched with it
        var started = dispatcher.dispatch(gone, new Trigger("gone", "gone-c-20261126T100000", "cron", Map.of()));

        // Then the run starts by that spec; a spec of another job is a caller's bug
        assertThat(started.created()).isTrue();
        assertThat(engine.get("gone-c-20261126T100000")).isPresent();
        assertThatThrownBy(() -> dispatcher.dispatch(gone, new Trigger("greet", "greet-k-0009", "api", Map.of("WHO", "Ada"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("greet").hasMessageContaining("gone");
    }

    @Test
    void shouldThrowNotFoundWhenTheJobIsNotRegistered() {
        // Given / When / Then
        assertThatThrownBy(() -> dispatcher.dispatch(new Trigger("nope", "nope-k-0001", "api", Map.of())))
                .isInstanceOf(NotFoundException.class)
                .hasMessageContaining("'nope'");
        assertThat(engine.get("nope-k-0001")).isEmpty();
    }

    @Test
    void shouldListEveryProblemWhenParametersAreMissingAndUndeclared() {
        // Given / When a trigger lacks WHO and gives an undeclared LOUD
        // Then it is refused with one problem per parameter, and nothing starts
        assertThatThrownBy(() -> dispatcher.dispatch(new Trigger("greet", "greet-k-0003", "api", Map.of("LOUD", "yes"))))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(e.problems()).containsExactlyInAnyOrder(
                        "parameters.LOUD: is not a declared parameter of job greet (declared: PUNCTUATION, WHO)",
                        "parameters.WHO: is required (who to greet)"));
        assertThat(engine.get("greet-k-0003")).isEmpty();
    }
}
