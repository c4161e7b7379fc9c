package dev.skiff.orchestrator.config;

import dev.skiff.orchestrator.app.CronScheduler;
import dev.skiff.orchestrator.app.DeadlineWatch;
import dev.skiff.orchestrator.app.JobCatalog;
import dev.skiff.orchestrator.app.TickLoop;
import dev.skiff.orchestrator.port.JobRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Brings Skiff up in the order that loses nothing: load the jobs, start the chosen {@link SkiffMode} (the embedded
 * engine resumes the runs an earlier process left; AWS mode starts its reconciler), then catch up missed cron fires,
 * then start the loops. The catch-up and the loops wait until the registry was listed ({@link JobRegistry#listed}): an
 * S3 registry starting from its snapshot is UP and serves its jobs at once, but a job deleted from the bucket by other
 * means while the service was down must not catch up its missed fires. Stopping leaves running tasks alone: the next start watches them again; it stores the registry's
 * spec cache, so that the next start checks only the specs changed since.
 */
@ApplicationScoped
class SkiffRuntime {

    private static final Logger LOG = Logger.getLogger(SkiffRuntime.class);

    private final SkiffConfig config;
    private final JobRegistry jobSource;
    private final SkiffMode mode;
    private final CronScheduler scheduler;
    private final JobCatalog catalog;
    private final Clock clock;

    private TickLoop cronLoop;
    private TickLoop deadlineLoop;
    private ScheduledExecutorService reloader;
    private boolean stopped;
    /** How long after a failed start of the schedules off the start thread it is tried again. */
    Duration schedulesRetry = Duration.ofSeconds(30);

    SkiffRuntime(SkiffConfig config, JobRegistry jobSource, SkiffMode mode, CronScheduler scheduler, JobCatalog catalog,
                 Clock clock) {
        this.config = config;
        this.jobSource = jobSource;
        this.mode = mode;
        this.scheduler = scheduler;
        this.catalog = catalog;
        this.clock = clock;
    }

    void start(@Observes StartupEvent event) {
        jobSource.reload();
        catalog.markLoaded();
        mode.start();
        long up = System.nanoTime();
        if (jobSource.listed().toCompletableFuture().isDone()) {
            startSchedules(up, false); // at once: a failure fails the start, as it always did
        } else {
            jobSource.listed().thenRun(() -> startSchedules(up, true));
        }
        long every = config.jobs().reloadInterval().toMillis();
        reloader = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "skiff-job-reload");
            t.setDaemon(true);
            return t;
        });
        reloader.scheduleWithFixedDelay(this::reloadQuietly, every, every, TimeUnit.MILLISECONDS);
        LOG.infof("Skiff is up: %s, jobs from %s, data in %s", mode.choice(), jobSource.location(),
                config.dataDir().toAbsolutePath());
    }

    /**
     * The catch-up of missed fires, then the loops; at once, or when the registry's listing after a start is applied.
     * Each part starts once, so a retry does only what failed (a catch-up done twice starts nothing twice: cron run ids
     * are fixed by the fire).
     *
     * @param retry whether a failure is tried again after {@link #schedulesRetry}: off the start thread there is no
     *              start left to fail, and a replica must not stay up with its schedules silently stopped
     */
    private synchronized void startSchedules(long up, boolean retry) {
        if (stopped) {
            return;
        }
        long waited = (System.nanoTime() - up) / 1_000_000;
        try {
            if (cronLoop == null) {
                scheduler.catchUp(clock.instant());
                cronLoop = new TickLoop("skiff-cron", scheduler, clock).start();
            }
            if (deadlineLoop == null) {
                mode.missedDeadlines().ifPresent(missed -> deadlineLoop = new TickLoop("skiff-deadlines", new DeadlineWatch(
                        catalog, mode.engine(), mode.pausedSchedules(), missed, mode.watermarks(), clock,
                        config.jobs().deadlineLookback()), clock).start());
            }
        } catch (RuntimeException e) {
            if (!retry) {
                throw e;
            }
            LOG.errorf(e, "cannot start the schedules (no cron fire runs on this replica until they start); trying again in %s",
                    schedulesRetry);
            CompletableFuture.delayedExecutor(schedulesRetry.toMillis(), TimeUnit.MILLISECONDS)
                    .execute(() -> startSchedules(up, true));
            return;
        }
        if (waited > 100) {
            LOG.infof("schedules running, %d ms after the service was up: the job registry's listing is applied", waited);
        }
    }

    private void reloadQuietly() {
        try {
            jobSource.reload();
        } catch (RuntimeException e) {
            LOG.warnf("job reload failed; keeping the jobs loaded before: %s", e.getMessage());
        }
    }

    synchronized void stop(@Observes ShutdownEvent event) {
        stopped = true;
        if (reloader != null) {
            reloader.shutdownNow();
        }
        jobSource.close();
        if (cronLoop != null) {
            cronLoop.close();
        }
        if (deadlineLoop != null) {
            deadlineLoop.close();
        }
        mode.stop();
    }
}
