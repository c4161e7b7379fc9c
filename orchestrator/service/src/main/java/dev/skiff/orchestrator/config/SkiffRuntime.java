package dev.skiff.orchestrator.config;

import dev.skiff.orchestrator.adapter.embedded.EmbeddedRunEngine;
import dev.skiff.orchestrator.aws.StepReconciler;
import dev.skiff.orchestrator.app.CronScheduler;
import dev.skiff.orchestrator.app.JobCatalog;
import dev.skiff.orchestrator.app.TickLoop;
import dev.skiff.orchestrator.port.JobRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Brings the embedded default up in the order that loses nothing: load the jobs, resume the runs an
 * earlier process left, then catch up missed cron fires, then start the loops. Stopping leaves
 * running tasks alone: the next start watches them again.
 */
@ApplicationScoped
public class SkiffRuntime {

    /** The value of {@code skiff.engine} for AWS mode. */
    public static final String STEP_FUNCTIONS = "stepfunctions";
    private static final Logger LOG = Logger.getLogger(SkiffRuntime.class);

    private final SkiffConfig config;
    private final JobRegistry jobSource;
    private final Instance<EmbeddedRunEngine> engine;
    private final Instance<StepReconciler> reconciler;
    private final CronScheduler scheduler;
    private final JobCatalog catalog;
    private final Clock clock;

    private TickLoop engineLoop;
    private TickLoop reconcilerLoop;
    private TickLoop cronLoop;
    private ScheduledExecutorService reloader;

    public SkiffRuntime(SkiffConfig config, JobRegistry jobSource, Instance<EmbeddedRunEngine> engine,
                        Instance<StepReconciler> reconciler, CronScheduler scheduler, JobCatalog catalog, Clock clock) {
        this.config = config;
        this.jobSource = jobSource;
        this.engine = engine;
        this.reconciler = reconciler;
        this.scheduler = scheduler;
        this.catalog = catalog;
        this.clock = clock;
    }

    void start(@Observes StartupEvent event) {
        jobSource.reload();
        catalog.markLoaded();
        if (STEP_FUNCTIONS.equals(config.engine())) {
            // Step Functions keeps and steps the runs; the reconciler keeps their tasks and steps in line.
            reconcilerLoop = new TickLoop("skiff-reconciler", reconciler.get(), clock).start();
        } else {
            engine.get().recover();
            engineLoop = new TickLoop("skiff-engine", engine.get(), clock).start();
        }
        scheduler.catchUp(clock.instant());
        cronLoop = new TickLoop("skiff-cron", scheduler, clock).start();
        long every = config.jobs().reloadInterval().toMillis();
        reloader = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "skiff-job-reload");
            t.setDaemon(true);
            return t;
        });
        reloader.scheduleWithFixedDelay(this::reloadQuietly, every, every, TimeUnit.MILLISECONDS);
        LOG.infof("Skiff is up: engine %s, launcher %s, jobs from %s, data in %s", config.engine(), config.launcher(),
                jobSource.location(), config.dataDir().toAbsolutePath());
    }

    private void reloadQuietly() {
        try {
            jobSource.reload();
        } catch (RuntimeException e) {
            LOG.warnf("job reload failed; keeping the jobs loaded before: %s", e.getMessage());
        }
    }

    void stop(@Observes ShutdownEvent event) {
        if (reloader != null) {
            reloader.shutdownNow();
        }
        if (cronLoop != null) {
            cronLoop.close();
        }
        if (engineLoop != null) {
            engineLoop.close();
            engine.get().close(); // lets launch calls under way be recorded, so the next start does not launch them again
        }
        if (reconcilerLoop != null) {
            reconcilerLoop.close();
        }
    }
}
