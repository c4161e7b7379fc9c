package dev.skiff.orchestrator.app;

import dev.skiff.jobs.JobSpec;
import dev.skiff.jobs.Schedule;
import dev.skiff.orchestrator.domain.Backfill;
import dev.skiff.orchestrator.domain.SkiffException;
import dev.skiff.orchestrator.domain.Trigger;
import dev.skiff.orchestrator.port.Backfills;
import dev.skiff.orchestrator.port.RunEngine;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Starts the runs of the open backfills, a few at a time. Each tick works out every open backfill's status from its
 * runs and starts its next fires without a run, oldest first, while fewer than {@code maxConcurrency} of its runs are
 * active; a backfill whose runs have all ended is marked finished. It keeps no progress of its own: a process killed
 * halfway, or another replica, carries on from the runs, and a fire started twice is one run (its cron run id).
 *
 * <p>Two replicas ticking at once start the same fires (both take the oldest missing ones), so they do not exceed the
 * bound between them; what can exceed it is a view of the runs that lags (Step Functions' ListExecutions is eventually
 * consistent): a run another replica started a moment ago may be missing from it, and a start of that same fire is a
 * no-op that still counts against the bound here, so the excess stays within one tick of one replica.
 */
public final class BackfillDriver implements TickLoop.Tickable {

    private static final Logger LOG = Logger.getLogger(BackfillDriver.class);

    private final Backfills backfills;
    private final BackfillProgress progress;
    private final JobCatalog catalog;
    private final RunDispatcher dispatcher;
    private final Duration interval;
    private final WakeSignal created = new WakeSignal();
    private volatile Instant nextTick = Instant.MIN;
    private volatile boolean woken;

    /** @param interval how often the open backfills are looked at (each look lists every one's runs) */
    public BackfillDriver(Backfills backfills, BackfillProgress progress, JobCatalog catalog, RunDispatcher dispatcher,
                          Duration interval) {
        this.backfills = backfills;
        this.progress = progress;
        this.catalog = catalog;
        this.dispatcher = dispatcher;
        this.interval = interval;
    }

    /** A new backfill: the loop ticks now instead of at its next interval. */
    public void wake() {
        woken = true;
        created.signal();
    }

    @Override
    public void tick(Instant now) {
        if (!woken && now.isBefore(nextTick)) {
            return; // the loop wakes every second; the backfills are looked at once an interval, or when one is new
        }
        woken = false;
        nextTick = now.plus(interval);
        for (Backfill backfill : backfills.open()) {
            try {
                drive(backfill);
            } catch (SkiffException e) {
                LOG.errorf("backfill %s: %s; trying again in %s", backfill.id(), e.getMessage(), interval);
            }
        }
    }

    private void drive(Backfill backfill) {
        Optional<JobSpec> job = catalog.find(backfill.job());
        Optional<Schedule> schedule = BackfillService.scheduleOf(catalog, backfill);
        if (job.isEmpty() || schedule.isEmpty()) {
            return; // the job (or schedule) is gone, maybe for a moment: nothing can start, and nothing is lost
        }
        BackfillStatus status = progress.of(backfill, schedule.get());
        if (status.ended()) {
            backfills.update(backfill.finish());
            LOG.infof("backfill %s finished: %d runs, %d succeeded, %d failed", backfill.id(), status.planned(),
                    status.succeeded(), status.failed());
            return;
        }
        int free = backfill.maxConcurrency() - status.running();
        for (BackfillStatus.FireRun fire : status.runs()) {
            if (free <= 0) {
                return;
            }
            if (fire.missing() && start(backfill, job.get(), fire)) {
                free--;
            }
        }
    }

    /** @return whether the fire's run is active now (started here, or found running): it takes a slot */
    private boolean start(Backfill backfill, JobSpec job, BackfillStatus.FireRun fire) {
        RunEngine.Started started = dispatcher.dispatch(job, new Trigger(job.name(), fire.runId(), "cron", Map.of()));
        progress.learned(started.run());
        if (started.created()) {
            LOG.infof("backfill %s: started run %s for the fire of %s", backfill.id(), fire.runId(), fire.fireTime());
        }
        return !started.run().status().isTerminal();
    }

    @Override
    public Optional<Instant> nextWakeUp() {
        return Optional.of(nextTick);
    }

    @Override
    public void awaitChange(long maxWaitNanos) throws InterruptedException {
        created.await(maxWaitNanos);
    }
}
