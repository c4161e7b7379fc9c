package dev.skiff.orchestrator.adapter.sfn;

import dev.skiff.jobs.JobSpec;
import dev.skiff.orchestrator.app.JobCatalog;
import java.time.Duration;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * Ensures the jobs' state machines in the background, at a bounded rate, so that most first runs find theirs
 * ready while startup and catalog changes make no Step Functions call: every job of the catalog when it is first
 * read, then each job a change names (before the rest). A job whose machine this replica knows current costs no
 * call and no wait; any other waits its turn, {@code 1/rate} after the last one that made calls, which keeps the
 * warming far below Step Functions' API quotas that the runs' own starts share. A removed job is left alone (its
 * machine stays, as its runs' history does). A job that fails is logged and left to its next start, which
 * tries again and refuses the run if it fails again.
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

    /** Warms every job of the catalog, then each job its changes name. */
    public void follow(JobCatalog catalog) {
        catalog.onChange(snapshot -> add(snapshot.changed(), changed));
        add(catalog.snapshot().jobs().keySet(), backlog);
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

    private synchronized String next() throws InterruptedException {
        while (changed.isEmpty() && backlog.isEmpty()) {
            wait();
        }
        Iterator<String> first = (changed.isEmpty() ? backlog : changed).iterator();
        String name = first.next();
        first.remove();
        backlog.remove(name);
        return name;
    }

    /** Jobs waiting for their turn. */
    synchronized int pending() {
        var all = new LinkedHashSet<>(changed);
        all.addAll(backlog);
        return all.size();
    }

    @Override
    public void close() {
        thread.interrupt();
    }
}
