package dev.skiff.orchestrator.adapter.sfn;

import dev.skiff.jobs.JobSpec;
import dev.skiff.orchestrator.app.JobCatalog;
import java.time.Duration;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * Makes the jobs' state machines in the background, at a bounded rate, so that most first runs find theirs ready
 * while startup and catalog changes make no Step Functions call on the way to UP. At start it lists the machines
 * there are (1,000 a call) and creates those missing; then it updates or creates each job a change names (before
 * the rest). A job whose machine exists is not looked at after a restart: re-checking 100,000 definitions would
 * take the warmer half a day at a few a second, and the job's next start checks its machine anyway (one
 * DescribeStateMachine, an update if its spec changed while no replica ran). A job whose machine this replica knows
 * current costs no call and no wait; any other waits its turn, {@code 1/rate} after the last one that made calls,
 * which keeps the warming far below Step Functions' API quotas that the runs' own starts share. A removed job is
 * left alone (its machine stays, as its runs' history does). A job that fails is logged and left to its next
 * start, which tries again and refuses the run if it fails again.
 */
public final class StateMachineWarmer implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(StateMachineWarmer.class);

    private final StateMachines machines;
    private final Function<String, Optional<JobSpec>> jobs;
    private final Duration pause;
    /** Jobs a change named: warmed before {@link #backlog}, since their machines are known stale. */
    private final LinkedHashSet<String> changed = new LinkedHashSet<>();
    private final LinkedHashSet<String> backlog = new LinkedHashSet<>();
    private final Thread thread;
    /** The catalog to look for missing machines in, once {@link #follow} gave it; null after the look. */
    private JobCatalog catalog;

    /**
     * @param jobs      the current spec of a job by name (a job removed meanwhile is skipped)
     * @param perSecond jobs whose machine is checked per second at most; positive
     */
    public StateMachineWarmer(StateMachines machines, Function<String, Optional<JobSpec>> jobs, double perSecond) {
        if (!(perSecond > 0)) {
            throw new IllegalArgumentException("perSecond must be positive, got " + perSecond);
        }
        this.machines = machines;
        this.jobs = jobs;
        this.pause = Duration.ofNanos((long) (1e9 / perSecond));
        this.thread = new Thread(this::warm, "skiff-state-machine-warmer");
        thread.setDaemon(true);
        thread.start();
    }

    /** Creates the machines the catalog's jobs lack (listed from the warmer's thread), then warms each job a change names. */
    public void follow(JobCatalog catalog) {
        catalog.onChange(snapshot -> add(snapshot.changed(), changed));
        synchronized (this) {
            this.catalog = catalog;
            notifyAll();
        }
    }

    /** The catalog's jobs that have no machine: one listing of them all. */
    private void lacking(JobCatalog catalog) {
        Collection<String> jobs = catalog.snapshot().jobs().keySet();
        try {
            Set<String> existing = machines.all().keySet();
            add(jobs.stream().filter(job -> !existing.contains(job)).toList(), backlog);
        } catch (RuntimeException e) {
            LOG.warnf("the state machines could not be listed (%s); every job's is checked in turn", e.getMessage());
            add(jobs, backlog);
        }
    }

    private void add(Collection<String> names, LinkedHashSet<String> queue) {
        synchronized (this) {
            queue.addAll(names);
            notifyAll();
        }
    }

    private void warm() {
        try {
            while (!Thread.currentThread().isInterrupted()) {
                Optional<JobSpec> job = jobs.apply(next());
                if (job.isPresent() && !machines.isCurrent(job.get())) {
                    ensure(job.get());
                    Thread.sleep(pause.toMillis(), pause.toNanosPart() % 1_000_000);
                }
            }
        } catch (InterruptedException stopped) {
            Thread.currentThread().interrupt();
        }
    }

    private void ensure(JobSpec job) {
        try {
            machines.register(job);
        } catch (RuntimeException e) {
            LOG.warnf("job %s: its state machine could not be created or updated in advance (%s); its next run tries"
                    + " again before it starts", job.name(), e.getMessage());
        }
    }

    private String next() throws InterruptedException {
        JobCatalog toList;
        synchronized (this) {
            while (changed.isEmpty() && backlog.isEmpty() && catalog == null) {
                wait();
            }
            toList = catalog;
            catalog = null;
        }
        if (toList != null) {
            lacking(toList);
        }
        return nextQueued();
    }

    private synchronized String nextQueued() throws InterruptedException {
        while (changed.isEmpty() && backlog.isEmpty()) {
            wait();
        }
        Iterator<String> first = (changed.isEmpty() ? backlog : changed).iterator();
        String name = first.next();
        first.remove();
        backlog.remove(name);
        return name;
    }

    @Override
    public void close() {
        thread.interrupt();
    }
}
