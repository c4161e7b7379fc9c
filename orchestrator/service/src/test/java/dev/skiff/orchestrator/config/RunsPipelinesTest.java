package dev.skiff.orchestrator.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Which deployments accept multi-step jobs: the embedded engine with the process launcher, and AWS mode with an S3
 * registry, where step outputs are kept.
 */
class RunsPipelinesTest {

    private static final ModeChoice AWS = new ModeChoice(ModeChoice.Engine.STEP_FUNCTIONS, ModeChoice.Launcher.FARGATE);
    private static final ModeChoice EMBEDDED = new ModeChoice(ModeChoice.Engine.EMBEDDED, ModeChoice.Launcher.PROCESS);
    private static final ModeChoice EMBEDDED_FARGATE = new ModeChoice(ModeChoice.Engine.EMBEDDED, ModeChoice.Launcher.FARGATE);

    @Test
    void shouldRunPipelinesInAwsModeWithAnS3RegistryAndInTheEmbeddedModeWithLocalProcesses() {
        assertThat(RegistryProducers.runsPipelines(config("s3://skiff-jobs/jobs/"), AWS)).isTrue();
        assertThat(RegistryProducers.runsPipelines(config("/srv/skiff/jobs"), AWS)).isFalse();
        assertThat(RegistryProducers.runsPipelines(config("/srv/skiff/jobs"), EMBEDDED)).isTrue();
        assertThat(RegistryProducers.runsPipelines(config("s3://skiff-jobs/jobs/"), EMBEDDED)).isTrue();
        assertThat(RegistryProducers.runsPipelines(config("/srv/skiff/jobs"), EMBEDDED_FARGATE)).isFalse();
    }

    private static SkiffConfig config(String jobsLocation) {
        return new SmallRyeConfigBuilder().withMapping(SkiffConfig.class).withValidateUnknown(false)
                .withConverter(Duration.class, 100, new DurationConverter())
                .withSources(new PropertiesConfigSource(Map.of("skiff.jobs.location", jobsLocation), "test", 100))
                .build().getConfigMapping(SkiffConfig.class);
    }
}
