package dev.skiff.orchestrator.config;

import dev.skiff.orchestrator.app.BackfillDriver;
import dev.skiff.orchestrator.app.TickLoop;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import java.time.Clock;

/**
 * Drives the open backfills on their own loop, started after {@link SkiffRuntime} (a later priority): the jobs are
 * loaded and the engine has taken back the runs an earlier process left, so the first look sees them all.
 */
@ApplicationScoped
class BackfillRuntime {

    private final BackfillDriver driver;
    private final Clock clock;
    private TickLoop loop;

    BackfillRuntime(BackfillDriver driver, Clock clock) {
        this.driver = driver;
        this.clock = clock;
    }

    void start(@Observes @Priority(Interceptor.Priority.APPLICATION + 1000) StartupEvent event) {
        loop = new TickLoop("skiff-backfill", driver, clock).start();
    }

    void stop(@Observes @Priority(Interceptor.Priority.LIBRARY_BEFORE) ShutdownEvent event) {
        if (loop != null) {
            loop.close();
        }
    }
}
