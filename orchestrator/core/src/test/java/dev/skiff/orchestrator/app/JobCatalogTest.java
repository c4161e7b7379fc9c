package dev.skiff.orchestrator.app;

import static org.assertj.core.api.Assertions.assertThat;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skiff.jobs.EventTrigger;
import dev.skiff.jobs.JobSpec;
import dev.skiff.jobs.Triggers;
import dev.skiff.orchestrator.TestSpecs;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class JobCatalogTest {

    @Test
    void shouldCountAsLoadedOnceTheRegistryWasReadEvenWhenItHeldNoJob() throws Exception {
        // Given a catalog nobody has filled yet
        var catalog = new JobCatalog();
        assertThat(catalog.awaitLoaded(Duration.ofMillis(50))).isFalse();

        // When the first read of an empty registry is over
        catalog.markLoaded();

        // Then whoever waits for the first read goes on
        assertThat(catalog.awaitLoaded(Duration.ofMillis(50))).isTrue();
    }

    @Test
    void shouldCountAsLoadedWhenJobsArePublished() throws Exception {
        // Given a catalog
        var catalog = new JobCatalog();

        // When a registry publishes its jobs
        catalog.replace(List.of(new RegisteredJob(TestSpecs.shell("etl", "true"), "etl.yaml")), List.of());

        // Then it is loaded, with the job
        assertThat(catalog.awaitLoaded(Duration.ZERO)).isTrue();
        assertThat(catalog.find("etl")).isPresent();
    }
    /** {@code count} jobs started by a shop's order event (one spec parsed, the others named after it). */
    private static List<RegisteredJob> onOrders(int count) {
        JobSpec on = TestSpecs.shell("on-order-0", "true", "triggers:\n  events:\n    - pattern: {source: [shop], detail-type: [order]}");
        List<RegisteredJob> jobs = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            jobs.add(new RegisteredJob(copy(on, "on-order-" + i, on.triggers()), "on-order-" + i + ".yaml"));
        }
        return jobs;
    }

    private static JobSpec copy(JobSpec spec, String name, Triggers triggers) {
        return new JobSpec(name, spec.description(), spec.owner(), spec.image(), spec.command(), spec.args(),
                spec.environment(), spec.secrets(), spec.resources(), spec.capacity(), spec.timeout(), spec.retries(),
                spec.parameters(), spec.tags(), triggers, spec.steps(), spec.notifications());
    }

    @Test
    void shouldDecideTheProblemsWhileTheRouterCompilesALargeChangeOnAnotherThread() throws Exception {
        // Given a catalog whose router compiles large changes on a thread that waits until the problems are being decided
        CountDownLatch compiling = new CountDownLatch(1);
        CountDownLatch decided = new CountDownLatch(1);
        Executor apart = task -> new Thread(() -> {
            compiling.countDown();
            awaitQuietly(decided);
            task.run();
        }).start();
        var catalog = new JobCatalog(apart);
        List<Boolean> routedWhileDeciding = new ArrayList<>();

        // When a registry's first load of 1,000 jobs is published
        catalog.change(onOrders(JobCatalog.COMPILED_APART_FROM), List.of(), () -> {
            awaitQuietly(compiling);
            routedWhileDeciding.add(!catalog.snapshot().router().route("{\"source\":\"shop\",\"detail-type\":\"order\"}").isEmpty());
            decided.countDown();
            return List.of(new SpecProblem("bad.yaml", List.of("bad.yaml: name: missing"), Optional.empty()));
        });

        // Then the problems were decided while the compile was under way (nothing routed yet), and the snapshot
        // published after has the jobs, their routes and the problems
        assertThat(routedWhileDeciding).containsExactly(false);
        JobCatalog.Snapshot snapshot = catalog.snapshot();
        assertThat(snapshot.jobs()).hasSize(JobCatalog.COMPILED_APART_FROM);
        assertThat(snapshot.changed()).hasSize(JobCatalog.COMPILED_APART_FROM).contains("on-order-0", "on-order-999");
        assertThat(snapshot.router().route("{\"source\":\"shop\",\"detail-type\":\"order\"}")).hasSize(JobCatalog.COMPILED_APART_FROM);
        assertThat(snapshot.problems()).extracting(SpecProblem::source).containsExactly("bad.yaml");
    }

    @Test
    void shouldCompileASmallChangeOnTheCallersThread() {
        // Given a catalog holding 1,000 jobs, whose other thread counts its tasks
        AtomicInteger handedOver = new AtomicInteger();
        var catalog = new JobCatalog(task -> {
            handedOver.incrementAndGet();
            task.run();
        });
        List<RegisteredJob> jobs = onOrders(JobCatalog.COMPILED_APART_FROM);
        catalog.change(jobs, List.of(), List.of());

        // When one spec changes
        catalog.change(List.of(new RegisteredJob(TestSpecs.shell("on-order-7", "false"), "on-order-7.yaml")), List.of(), List.of());

        // Then only the large change was handed over; the one-spec change compiled here, and only it is named changed
        assertThat(handedOver).hasValue(1);
        assertThat(catalog.snapshot().changed()).containsExactly("on-order-7");
        assertThat(catalog.snapshot().router().route("{\"source\":\"shop\",\"detail-type\":\"order\"}"))
                .hasSize(JobCatalog.COMPILED_APART_FROM - 1);
    }

    @Test
    void shouldChangeNothingWhenTheRouterRefusesALargeChangeCompiledApart() {
        // Given a catalog holding a job, and a large change one of whose patterns does not compile
        var catalog = new JobCatalog(task -> new Thread(task).start());
        catalog.change(List.of(new RegisteredJob(TestSpecs.shell("kept", "true"), "kept.yaml")), List.of(), List.of());
        JobCatalog.Snapshot before = catalog.snapshot();
        List<RegisteredJob> jobs = new ArrayList<>(onOrders(JobCatalog.COMPILED_APART_FROM));
        jobs.set(3, new RegisteredJob(copy(jobs.get(3).spec(), "on-order-3",
                new Triggers(List.of(), List.of(new EventTrigger("{\"source\": [", Map.of())), List.of())), "on-order-3.yaml"));

        // When it is published, Then the router's refusal comes through as it was thrown, and the catalog is as before
        assertThatThrownBy(() -> catalog.change(jobs, List.of("kept"), List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("on-order-3");
        assertThat(catalog.snapshot()).isSameAs(before);
        assertThat(catalog.snapshot().router().route("{\"source\":\"shop\",\"detail-type\":\"order\"}")).isEmpty();
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            assertThat(latch.await(30, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
