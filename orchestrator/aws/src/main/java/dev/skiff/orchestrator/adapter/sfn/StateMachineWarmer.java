package dev.skiff.orchestrator.adapter.sfn;

import dev.skiff.jobs.JobSpec;
import dev.skiff.orchestrator.app.JobCatalog;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * Makes the jobs' state machines in the background, at a bounded rate, so that most first runs find theirs ready
 * while startup and catalog changes make no Step Functions call on the way to UP. At start it lists the machines
 * there are (1,000 a call) and plans those missing ({@link WarmingOrder}): a scheduled job's machine is made before its
 * next fire ({@code ahead} of it, or earlier when many fire close together), so that a large catalog is not worked
 * through at full pace for hours while its schedules are far off; a job started by events or the API, whose next run
 * nobody can tell, is made at the slower {@code unscheduledPerSecond} (its first run may make it instead: one
 * DescribeStateMachine and one CreateStateMachine on that run's way). Then it updates or creates each job a change
 * names, before the rest. A job whose machine exists is not looked at after a restart: re-checking 100,000
 * definitions would take the warmer half a day at a few a second, and the job's next start checks its machine anyway
 * (one DescribeStateMachine, an update if its spec changed while no replica ran). A job whose machine this replica
 * knows current costs no call and no wait; any other waits its turn, {@code 1/rate} after the last one that made
 * calls, which keeps the warming far below Step Functions' API quotas that the runs' own starts share. A removed job
 * is left alone (its machine stays, as its runs' history does). A job that fails is logged and left to its next
 * start, which tries again and refuses the run if it fails again.
 */
public final class StateMachineWarmer implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(StateMachineWarmer.class);

    private final StateMachines machines;
    private final Function<String, Optional<JobSpec>> jobs;
    private final Clock clock;
    private final Duration pause;
    private final Duration ahead;
    private final Duration unscheduledPause;
    /** Jobs a change named: warmed before the {@link #missing} ones, since their machines are known stale. */
    private final LinkedHashSet<String> changed = new LinkedHashSet<>();
    /** The jobs the start's listing found without a machine, in the order they are due. */
    private WarmingOrder missing = WarmingOrder.of(List.of(), name -> Optional.empty(), Instant.EPOCH, Duration.ZERO,
            Duration.ZERO);
    /** Whether the {@link #missing} jobs are known to lack a machine (the listing worked), so need no describe first. */
    private boolean missingListed;
    /** When the last job started by events or the API was taken, for their slower pace. */
    private Instant lastUnscheduled = Instant.MIN;
    private final Thread thread;
    /** The catalog to look for missing machines in, once {@link #follow} gave it; null after the look. */
    private JobCatalog catalog;

    /** Far enough ahead that every schedule's next fire is due now: whatever its job's triggers. */
    private static final Duration ANY_TIME = Duration.ofDays(3660);

    /** A warmer that makes every missing machine at once at {@code perSecond}, whatever its job's triggers. */
    public StateMachineWarmer(StateMachines machines, Function<String, Optional<JobSpec>> jobs, double perSecond) {
        this(machines, jobs, perSecond, perSecond, ANY_TIME, Clock.systemUTC());
    }

    /**
     * @param jobs                 the current spec of a job by name (a job removed meanwhile is skipped)
     * @param perSecond            jobs whose machine is checked per second at most; positive
     * @param unscheduledPerSecond of those, the jobs with no schedule (nor a scheduled leader) whose machine was missing
     *                             at start; positive, at most {@code perSecond}
     * @param ahead                how long before its next fire a scheduled job's missing machine is made at the latest
     */
    public StateMachineWarmer(StateMachines machines, Function<String, Optional<JobSpec>> jobs, double perSecond,
                              double unscheduledPerSecond, Duration ahead, Clock clock) {
        if (!(perSecond > 0) || !(unscheduledPerSecond > 0) || unscheduledPerSecond > perSecond) {
            throw new IllegalArgumentException("perSecond must be positive and unscheduledPerSecond between 0 (excluded)"
                    + " and it, got " + perSecond + " and " + unscheduledPerSecond);
        }
        if (ahead.isNegative()) {
            throw new IllegalArgumentException("ahead must not be negative, got " + ahead);
        }
        this.machines = machines;
        this.jobs = jobs;
        this.clock = clock;
        this.pause = Duration.ofNanos((long) (1e9 / perSecond));
        this.unscheduledPause = Duration.ofNanos((long) (1e9 / unscheduledPerSecond));
        this.ahead = ahead;
        this.thread = new Thread(this::warm, "skiff-state-machine-warmer");
        thread.setDaemon(true);
        thread.start();
    }

    /** Creates the machines the catalog's jobs lack (listed from the warmer's thread), then warms each job a change names. */
    public void follow(JobCatalog catalog) {
        catalog.onChange(snapshot -> add(snapshot.changed()));
        synchronized (this) {
            this.catalog = catalog;
            notifyAll();
        }
    }

    /** The catalog's jobs that have no machine: one listing of them all. */
    private void lacking(JobCatalog catalog) {
        Collection<String> all = catalog.snapshot().jobs().keySet();
        Collection<String> lacking;
        boolean listed = false;
        try {
            Set<String> existing = machines.all().keySet();
            lacking = all.stream().filter(job -> !existing.contains(job)).toList();
            listed = true;
        } catch (RuntimeException e) {
            LOG.warnf("the state machines could not be listed (%s); every job's is checked in turn", e.getMessage());
            lacking = all;
        }
        WarmingOrder order = WarmingOrder.of(lacking, jobs, clock.instant(), ahead, pause);
        LOG.infof("%d of %d jobs have no state machine yet: each is made before its job's next scheduled fire, or at %.2f"
                + " a second for jobs with no schedule (skiff.sfn.register-ahead, skiff.sfn.unscheduled-register-rate)",
                lacking.size(), all.size(), 1e9 / unscheduledPause.toNanos());
        synchronized (this) {
            missing = order;
            missingListed = listed;
            notifyAll();
        }
    }

    private void add(Collection<String> names) {
        synchronized (this) {
            changed.addAll(names);
            notifyAll();
        }
    }

    private void warm() {
        try {
            while (!Thread.currentThread().isInterrupted()) {
                Next next = next();
                Optional<JobSpec> job = jobs.apply(next.job());
                if (job.isPresent() && ensure(job.get(), next.listedMissing())) {
                    Thread.sleep(pause.toMillis(), pause.toNanosPart() % 1_000_000);
                }
            }
        } catch (InterruptedException stopped) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Makes the job's machine current, or creates it when the start's listing lacked it (one compile each: a step's
     * largest cost after its calls); whether that made calls.
     */
    private boolean ensure(JobSpec job, boolean listedMissing) {
        try {
            return (listedMissing ? machines.createListedMissing(job) : machines.register(job)).called();
        } catch (RuntimeException e) {
            LOG.warnf("job %s: its state machine could not be created or updated in advance (%s); its next run tries"
                    + " again before it starts", job.name(), e.getMessage());
            return true;
        }
    }

    /** A job to warm, and whether the start's listing found it without a machine (not named by a change since). */
    private record Next(String job, boolean listedMissing) {
    }

    private Next next() throws InterruptedException {
        JobCatalog toList;
        synchronized (this) {
            while (changed.isEmpty() && missing.isEmpty() && catalog == null) {
                wait();
            }
            toList = catalog;
            catalog = null;
        }
        if (toList != null) {
            lacking(toList);
        }
        return nextDue();
    }

    /** The next job to warm: a changed one, else a scheduled one whose time came, else an unscheduled one at its pace. */
    private synchronized Next nextDue() throws InterruptedException {
        while (true) {
            if (!changed.isEmpty()) {
                var first = changed.iterator();
                String name = first.next();
                first.remove();
                return new Next(name, false);
            }
            Instant now = clock.instant();
            Instant wakeUp = Instant.MAX;
            Optional<WarmingOrder.Due> scheduled = missing.nextScheduled();
            if (scheduled.isPresent()) {
                if (!scheduled.get().startBy().isAfter(now)) {
                    return new Next(missing.takeScheduled(), missingListed);
                }
                wakeUp = scheduled.get().startBy();
            }
            if (missing.hasUnscheduled()) {
                Instant due = lastUnscheduled.equals(Instant.MIN) ? now : lastUnscheduled.plus(unscheduledPause);
                if (!due.isAfter(now)) {
                    lastUnscheduled = now;
                    return new Next(missing.takeUnscheduled(), missingListed);
                }
                wakeUp = due.isBefore(wakeUp) ? due : wakeUp;
            }
            if (wakeUp.equals(Instant.MAX)) {
                wait();
            } else {
                wait(Math.max(1, Duration.between(now, wakeUp).toMillis()));
            }
        }
    }

    @Override
    public void close() {
        thread.interrupt();
    }
}
