package dev.skiff.orchestrator.config;

import dev.skiff.orchestrator.adapter.embedded.EmbeddedRunEngine;
import dev.skiff.orchestrator.adapter.embedded.H2RunStore;
import dev.skiff.orchestrator.adapter.local.ProcessLauncherOptions;
import dev.skiff.orchestrator.adapter.local.ProcessTaskLauncher;
import dev.skiff.orchestrator.adapter.metrics.MicrometerRunListener;
import dev.skiff.orchestrator.domain.SkiffException;
import dev.skiff.orchestrator.port.RunEngine;
import dev.skiff.orchestrator.port.RunListener;
import dev.skiff.orchestrator.port.TaskLauncher;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.enterprise.inject.Typed;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;

/** Chooses the adapters named by {@code skiff.engine} and {@code skiff.launcher}; the core never asks which it got. */
@ApplicationScoped
public class AdapterProducers {

    @Produces
    @Singleton
    TaskLauncher launcher(SkiffConfig config, Clock clock) {
        if (!"process".equals(config.launcher())) {
            throw new SkiffException("skiff.launcher: " + config.launcher() + " is not a launcher this build has (known: process)");
        }
        Path data = dataDirectory(config);
        return new ProcessTaskLauncher(ProcessLauncherOptions.under(data)
                .withStopGracePeriod(config.embedded().stopGracePeriod())
                .withClock(clock));
    }

    @Produces
    @Singleton
    @Typed(EmbeddedRunEngine.class)
    EmbeddedRunEngine embeddedEngine(SkiffConfig config, TaskLauncher launcher, RunListener listener, Clock clock) {
        if (!"embedded".equals(config.engine())) {
            throw new SkiffException("skiff.engine: " + config.engine() + " is not an engine this build has (known: embedded)");
        }
        return new EmbeddedRunEngine(H2RunStore.open(dataDirectory(config)), launcher, listener, clock,
                config.embedded().maxConcurrentAttempts());
    }

    @Produces
    @Singleton
    RunEngine engine(EmbeddedRunEngine embedded) {
        return embedded;
    }

    @Produces
    @Singleton
    RunListener runListener(MeterRegistry registry) {
        return new MicrometerRunListener(registry);
    }

    private static Path dataDirectory(SkiffConfig config) {
        Path dir = config.dataDir().toAbsolutePath();
        try {
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new SkiffException("skiff.data-dir: cannot create " + dir + ": " + e.getMessage(), e);
        }
    }
}
