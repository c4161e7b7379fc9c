package dev.skiff.orchestrator.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.jobs.CheckedSpecs;
import dev.skiff.jobs.JobSpec;
import dev.skiff.orchestrator.port.CheckedSpecCache;
import dev.skiff.orchestrator.port.SpecHash;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.Test;

/** The sources take a spec checked before from the cache, and keep only what passed every check. */
class SpecSourcesCacheTest {

    private static final Logger LOG = Logger.getLogger(SpecSourcesCacheTest.class);

    /** A cache in memory, counting its flushes. */
    private static final class MemoryCache implements CheckedSpecCache {
        final Map<SpecHash, JobSpec> kept = new ConcurrentHashMap<>();
        final AtomicInteger flushes = new AtomicInteger();

        @Override
        public Optional<JobSpec> find(SpecHash hash) {
            return Optional.ofNullable(kept.get(hash));
        }

        @Override
        public void keep(SpecHash hash, JobSpec spec) {
            kept.put(hash, spec);
        }

        @Override
        public void flush() {
            flushes.incrementAndGet();
        }

        @Override
        public void close() {
        }
    }

    private final MemoryCache cache = new MemoryCache();

    private static String spec(String name, String image) {
        return """
                name: %s
                owner: test-team
                image: %s
                command: ["true"]
                """.formatted(name, image);
    }

    private static RegisteredJob load(SpecSources sources, String source, String text) {
        var catalog = new JobCatalog();
        sources.update(source, "v1", text);
        sources.publish(catalog);
        return catalog.snapshot().jobs().get("alpha");
    }

    @Test
    void shouldTakeTheSpecFromTheCacheWhenTheSameTextWasCheckedBefore() {
        // Given a first load that checked alpha and kept it
        String text = spec("alpha", "example/alpha:1");
        RegisteredJob first = load(new SpecSources(LOG, false, cache), "alpha.yaml", text);
        assertThat(cache.kept).containsOnlyKeys(SpecHash.of(text));
        assertThat(cache.flushes).hasValue(1);

        // When a restart reads the same text
        RegisteredJob again = load(new SpecSources(LOG, false, cache), "alpha.yaml", text);

        // Then it is the same spec
        assertThat(again).isEqualTo(first);
    }

    @Test
    void shouldTrustTheCacheRatherThanCheckAgainWhenTheTextHashesToAnEntry() {
        // Given an entry under alpha's text that holds another image (which only the cache could give)
        String text = spec("alpha", "example/alpha:1");
        cache.keep(SpecHash.of(text), CheckedSpecs.check("x", spec("alpha", "example/from-cache:1")).result().spec().orElseThrow());

        // When alpha is read
        RegisteredJob job = load(new SpecSources(LOG, false, cache), "alpha.yaml", text);

        // Then the spec came from the cache, not from a check of the text
        assertThat(job.spec().image()).isEqualTo("example/from-cache:1");
    }

    @Test
    void shouldCheckAgainWhenTheTextChanged() {
        // Given alpha kept at version 1
        load(new SpecSources(LOG, false, cache), "alpha.yaml", spec("alpha", "example/alpha:1"));

        // When a restart reads version 2
        RegisteredJob job = load(new SpecSources(LOG, false, cache), "alpha.yaml", spec("alpha", "example/alpha:2"));

        // Then version 2 is loaded, and kept too
        assertThat(job.spec().image()).isEqualTo("example/alpha:2");
        assertThat(cache.kept).hasSize(2);
    }

    @Test
    void shouldKeepNothingAndReportTheProblemAgainWhenTheSpecIsInvalid() {
        // Given an invalid spec read once
        String invalid = spec("alpha", "example/alpha:1") + "timeout: forever\n";
        load(new SpecSources(LOG, false, cache), "alpha.yaml", invalid);
        assertThat(cache.kept).isEmpty();

        // When a restart reads it again
        var sources = new SpecSources(LOG, false, cache);
        var catalog = new JobCatalog();
        sources.update("alpha.yaml", "v1", invalid);
        sources.publish(catalog);

        // Then it is not loaded and its problem is listed again
        assertThat(catalog.snapshot().jobs()).isEmpty();
        assertThat(catalog.snapshot().problems()).singleElement()
                .satisfies(p -> assertThat(p.problems()).singleElement().asString().contains("timeout"));
    }

    @Test
    void shouldRefuseACachedPipelineWhereThisRuntimeRunsNone() {
        // Given a pipeline checked and kept by a runtime that runs pipelines
        String pipeline = spec("alpha", "example/alpha:1") + "steps:\n  - {name: a}\n  - {name: b, dependsOn: [a]}\n";
        assertThat(new SpecSources(LOG, true, cache).check("alpha.yaml", pipeline).valid()).isTrue();
        assertThat(cache.kept).hasSize(1);

        // When one that runs none reads it
        var result = new SpecSources(LOG, false, cache).check("alpha.yaml", pipeline);

        // Then it is refused, saying why, as without a cache
        assertThat(result.valid()).isFalse();
        assertThat(result.violations()).singleElement().satisfies(v -> assertThat(v.path()).isEqualTo("steps"));
    }
}
