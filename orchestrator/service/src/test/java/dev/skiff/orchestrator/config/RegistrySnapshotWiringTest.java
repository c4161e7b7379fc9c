package dev.skiff.orchestrator.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The S3 registry's snapshot is kept where the service holds a secret to sign it with (AWS mode's token keys), unless
 * {@code skiff.jobs.spec-cache} is off.
 */
class RegistrySnapshotWiringTest {

    private static final String KEYS = "newest-key-0123456789abcdef0123456789,older-key-0123456789abcdef01234567";

    @Test
    void shouldSignTheSnapshotWithTheNewestTokenKeyInAwsMode() {
        var settings = RegistryProducers.registrySnapshot(config(Map.of("skiff.sfn.token-keys", KEYS)).getConfigMapping(
                SkiffConfig.class), config(Map.of("skiff.sfn.token-keys", KEYS)).getConfigMapping(StepFunctionsConfig.class));

        assertThat(settings).isPresent();
        assertThat(settings.get().secret()).isEqualTo("newest-key-0123456789abcdef0123456789");
        assertThat(settings.get().checkerVersion()).startsWith(dev.skiff.jobs.CheckedSpecs.FORMAT);
        assertThat(settings.get().writeEvery()).isEqualTo(RegistryProducers.SPEC_CACHE_WRITE_EVERY);
    }

    @Test
    void shouldKeepNoSnapshotWithoutTokenKeysOrWithTheSpecCacheOff() {
        SmallRyeConfig embedded = config(Map.of());
        SmallRyeConfig off = config(Map.of("skiff.sfn.token-keys", KEYS, "skiff.jobs.spec-cache", "false"));

        assertThat(RegistryProducers.registrySnapshot(embedded.getConfigMapping(SkiffConfig.class),
                embedded.getConfigMapping(StepFunctionsConfig.class))).isEmpty();
        assertThat(RegistryProducers.registrySnapshot(off.getConfigMapping(SkiffConfig.class),
                off.getConfigMapping(StepFunctionsConfig.class))).isEmpty();
    }

    private static SmallRyeConfig config(Map<String, String> properties) {
        var all = new HashMap<>(properties);
        all.put("skiff.jobs.location", "s3://skiff-jobs/jobs/");
        return new SmallRyeConfigBuilder().withMapping(SkiffConfig.class).withMapping(StepFunctionsConfig.class)
                .withValidateUnknown(false).withConverter(Duration.class, 100, new DurationConverter())
                .withSources(new PropertiesConfigSource(all, "test", 100)).build();
    }
}
