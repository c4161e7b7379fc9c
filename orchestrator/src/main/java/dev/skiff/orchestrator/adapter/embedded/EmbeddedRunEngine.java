package dev.skiff.orchestrator.adapter.embedded;

import dev.skiff.jobs.Capacity;
import dev.skiff.jobs.JobSpec;
import dev.skiff.orchestrator.domain.TaskEnvironment;
import dev.skiff.orchestrator.app.TickLoop;
import dev.skiff.orchestrator.app.WakeSignal;
import dev.skiff.orchestrator.domain.ConflictException;
import dev.skiff.orchestrator.domain.NotFoundException;
import dev.skiff.orchestrator.port.LaunchFailedException;
import dev.skiff.orchestrator.port.LaunchedTask;
import dev.skiff.orchestrator.port.RunEngine;
import dev.skiff.orchestrator.port.RunListener;
import dev.skiff.orchestrator.port.TaskLauncher;
import dev.skiff.orchestrator.port.TaskRequest;
import dev.skiff.workflows.Attempt;
import dev.skiff.workflows.Run;
import dev.skiff.workflows.RunCommand;
import dev.skiff.workflows.RunEvent;
import dev.skiff.workflows.RunLifecycle;
import dev.skiff.workflows.RunStatus;
import dev.skiff.workflows.StepOutcome;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;

import java.util.concurrent.locks.ReentrantLock;
import org.jboss.logging.Logger;

/**
 * The default RunEngine: runs in-process, every transition written to the {@link RunStore} before
 * its commands are carried out, so a restart resumes each unfinished run from the store.
 *
 * <p>One lock guards all state; the work under it is small (one row write, one process start).
 * {@link #tick(Instant)} does everything that is due; a {@link TickLoop} calls it on a thread, and
 * tests call it directly with a chosen instant.
 */
public final class EmbeddedRunEngine implements RunEngine, TickLoop.Tickable {

    private static final Logger LOG = Logger.getLogger(EmbeddedRunEngine.class);
    static final String STEP = "main";

    private final RunStore store;
    private final TaskLauncher launcher;
    private final RunListener listener;
    private final Clock clock;
    private final int maxConcurrentAttempts;

    private final ReentrantLock lock = new ReentrantLock();
    private final WakeSignal changed = new WakeSignal();
    /** Runs waiting to launch, soonest first. Rebuilt from the store on start. */
    private final PriorityQueue<Due> dueLaunches = new PriorityQueue<>();
    /** Unfinished runs' specs, as stored with each run. */
    private final Map<String, JobSpec> specs = new HashMap<>();
    /** Runs whose attempt holds a launch slot: running, or being stopped. */
    private final Set<String> holdingSlot = new HashSet<>();
    /** Deadlines of running attempts not yet asked to stop (once asked, the deadline has done its job). */
    private final Map<String, Instant> deadlines = new HashMap<>();

    private record Due(Instant at, long order, String runId) implements Comparable<Due> {
        @Override
        public int compareTo(Due o) {
            int byTime = at.compareTo(o.at);
            return byTime != 0 ? byTime : Long.compare(order, o.order);
        }
    }

    private long order;

    public EmbeddedRunEngine(RunStore store, TaskLauncher launcher, RunListener listener, Clock clock,
                             int maxConcurrentAttempts) {
        if (maxConcurrentAttempts < 1) {
            throw new IllegalArgumentException("maxConcurrentAttempts must be at least 1, got " + maxConcurrentAttempts);
        }
        this.store = store;
        this.launcher = launcher;
        this.listener = listener;
        this.clock = clock;
        this.maxConcurrentAttempts = maxConcurrentAttempts;
    }

    /** Picks up every run an earlier process left unfinished: waiting ones queue again, running ones are watched again. */
    public void recover() {
        lock.lock();
        try {
            for (var stored : store.unfinished()) {
                Run run = stored.run();
                specs.put(run.runId(), stored.spec());
                if (run.status().isAwaitingLaunch()) {
                    run.nextLaunch().ifPresent(l -> enqueue(run.runId(), l.notBefore()));
                } else {
                    Attempt current = run.currentAttempt().orElseThrow();
                    track(run);
                    LOG.infof("run %s: watching attempt %d (task %s) again after restart", run.runId(),
                            current.number(), current.taskId());
                    launcher.reattach(request(run, stored.spec(), current.number(), current.capacity()),
                            launched(current), this::taskEnded);
                    // A stop asked for before the crash may never have reached the task: ask again.
                    current.stop().ifPresent(stop -> launcher.stop(launched(current), stop.detail()));
                }
            }
            wake();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Started start(String runId, JobSpec job, String trigger, Map<String, String> parameters) {
        lock.lock();
        try {
            Run run = Run.create(runId, job.name(), trigger, parameters, job.capacity(), clock.instant());
            if (!store.insertIfAbsent(run, job)) {
                return new Started(store.find(runId).orElseThrow(), false);
            }
            specs.put(runId, job);
            enqueue(runId, run.createdAt());
            listener.runCreated(run);
            wake();
            return new Started(run, true);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Optional<Run> get(String runId) {
        return store.find(runId);
    }

    @Override
    public boolean exists(String runId) {
        return store.exists(runId);
    }

    @Override
    public List<Run> list(RunQuery query) {
        return store.list(query);
    }

    @Override
    public List<String> activeRunIds(String job, int limit) {
        return store.activeRunIds(job, limit);
    }

    @Override
    public Run cancel(String runId, String reason) {
        lock.lock();
        try {
            Run run = store.find(runId).orElseThrow(() -> NotFoundException.run(runId));
            if (run.status().isTerminal()) {
                throw new ConflictException("run " + runId + " already ended " + run.status());
            }
            return apply(run, new RunEvent.CancelRequested(reason, clock.instant()));
        } finally {
            lock.unlock();
        }
    }

    /** Does everything due at {@code now}: stops attempts past their deadline, launches waiting runs while slots are free. */
    @Override
    public void tick(Instant now) {
        lock.lock();
        try {
            for (var entry : List.copyOf(deadlines.entrySet())) {
                if (!entry.getValue().isAfter(now)) {
                    store.find(entry.getKey()).ifPresent(run -> apply(run, new RunEvent.DeadlineReached(now)));
                }
            }
            while (holdingSlot.size() < maxConcurrentAttempts && !dueLaunches.isEmpty()
                    && !dueLaunches.peek().at().isAfter(now)) {
                launch(dueLaunches.poll().runId(), now);
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Optional<Instant> nextWakeUp() {
        lock.lock();
        try {
            Optional<Instant> deadline = deadlines.values().stream().min(Instant::compareTo);
            Optional<Instant> launch = holdingSlot.size() < maxConcurrentAttempts && !dueLaunches.isEmpty()
                    ? Optional.of(dueLaunches.peek().at()) : Optional.empty();
            return deadline.isEmpty() ? launch
                    : launch.isEmpty() ? deadline
                    : Optional.of(deadline.get().isBefore(launch.get()) ? deadline.get() : launch.get());
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void awaitChange(long maxWaitNanos) throws InterruptedException {
        changed.await(maxWaitNanos);
    }

    /** Attempts running now (including those being stopped). */
    public int runningAttempts() {
        lock.lock();
        try {
            return holdingSlot.size();
        } finally {
            lock.unlock();
        }
    }

    private void launch(String runId, Instant now) {
        Optional<Run> found = store.find(runId);
        if (found.isEmpty() || !found.get().status().isAwaitingLaunch() || found.get().nextLaunch().isEmpty()) {
            return;
        }
        Run run = found.get();
        JobSpec spec = specs.get(runId);
        var pending = run.nextLaunch().get();
        TaskRequest request = request(run, spec, pending.attempt(), pending.capacity());
        try {
            LaunchedTask task = launcher.launch(request, this::taskEnded);
            Run next = apply(run, new RunEvent.Launched(pending.attempt(), pending.capacity(), task.taskId(),
                    task.ranOn(), task.logLocation(), task.startedAt(), task.startedAt().plus(spec.timeout())));
            listener.attemptLaunched(next, next.currentAttempt().orElseThrow());
        } catch (LaunchFailedException e) {
            LOG.warnf("run %s: attempt %d did not start: %s", runId, pending.attempt(), e.getMessage());
            apply(run, new RunEvent.AttemptEnded(pending.attempt(), e.outcome(), now));
        } catch (RuntimeException e) {
            // A launcher bug must not strand the run in PENDING: record it as a start failure the policy may retry.
            LOG.errorf(e, "run %s: launching attempt %d failed unexpectedly", runId, pending.attempt());
            apply(run, new RunEvent.AttemptEnded(pending.attempt(),
                    new StepOutcome.StartFailed("the launcher failed: " + e, true), now));
        }
    }

    private void taskEnded(String runId, int attempt, StepOutcome outcome, Instant endedAt, Optional<BigDecimal> costUsd) {
        lock.lock();
        try {
            store.find(runId).ifPresent(run -> {
                Run next = apply(run, new RunEvent.AttemptEnded(attempt, outcome, endedAt, costUsd));
                if (next != run) {
                    next.attempts().stream().filter(a -> a.number() == attempt && !a.isRunning())
                            .reduce((first, last) -> last)
                            .ifPresent(a -> listener.attemptEnded(next, a));
                }
            });
        } finally {
            lock.unlock();
        }
    }

    /** Runs the lifecycle, writes the new state, then carries out the commands: the write comes first so a crash never acts twice. */
    private Run apply(Run run, RunEvent event) {
        JobSpec spec = specs.get(run.runId());
        if (spec == null) {
            return run; // finished runs keep no spec in memory, and nothing can change them
        }
        var transition = new RunLifecycle(spec).apply(run, event);
        Run next = transition.run();
        if (next == run) {
            return run;
        }
        store.update(next);
        track(next);
        for (RunCommand command : transition.commands()) {
            carryOut(next, command);
        }
        wake();
        return next;
    }

    private void carryOut(Run run, RunCommand command) {
        if (command instanceof RunCommand.LaunchWhenDue due) {
            enqueue(run.runId(), due.notBefore());
        } else if (command instanceof RunCommand.StopTask stop) {
            Attempt current = run.currentAttempt().orElseThrow();
            LOG.infof("run %s: stopping attempt %d: %s", run.runId(), current.number(), stop.reason());
            launcher.stop(launched(current), stop.reason());
        } else if (command instanceof RunCommand.Finished finished) {
            specs.remove(run.runId());
            LOG.infof("run %s: %s%s", run.runId(), finished.status(),
                    run.error().map(e -> " (" + e + ": " + run.cause().orElse("") + ")").orElse(""));
            listener.runFinished(run);
        }
    }

    /** Keeps the slot and deadline indexes in step with a run's stored state. */
    private void track(Run run) {
        if (run.status() != RunStatus.RUNNING) {
            holdingSlot.remove(run.runId());
            deadlines.remove(run.runId());
            return;
        }
        holdingSlot.add(run.runId());
        Attempt current = run.currentAttempt().orElseThrow();
        if (current.stop().isEmpty()) {
            deadlines.put(run.runId(), current.deadline());
        } else {
            deadlines.remove(run.runId());
        }
    }

    private void wake() {
        changed.signal();
    }

    private void enqueue(String runId, Instant notBefore) {
        dueLaunches.add(new Due(notBefore, order++, runId));
    }

    private static LaunchedTask launched(Attempt attempt) {
        return new LaunchedTask(attempt.taskId(), attempt.ranOn(), attempt.startedAt(), attempt.logLocation());
    }

    private static TaskRequest request(Run run, JobSpec spec, int attempt, Capacity capacity) {
        return new TaskRequest(run.runId(), spec, STEP, attempt, spec.commandLine(),
                TaskEnvironment.of(spec, run, attempt), spec.timeout(), capacity);
    }
}
