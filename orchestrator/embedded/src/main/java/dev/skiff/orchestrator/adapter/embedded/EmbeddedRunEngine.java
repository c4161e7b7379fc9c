package dev.skiff.orchestrator.adapter.embedded;

import dev.skiff.jobs.Capacity;
import dev.skiff.jobs.JobSpec;
import dev.skiff.orchestrator.domain.TaskEnvironment;
import dev.skiff.orchestrator.app.TickLoop;
import dev.skiff.orchestrator.app.WakeSignal;
import dev.skiff.orchestrator.domain.ConflictException;
import dev.skiff.orchestrator.domain.NotFoundException;
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
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * The default RunEngine: runs in-process, every transition written to the {@link RunStore} before
 * its commands are carried out, so a restart resumes each unfinished run from the store.
 *
 * <p>One lock guards the runs' state; the work under it is small (row reads and writes). Waiting runs, the
 * launch slots and the launch calls belong to the {@link LaunchQueue}, which calls the launcher outside this
 * lock and comes back through {@link LaunchQueue.Runs} to record what came of each call, so a slow launcher
 * neither holds up start, cancel and get nor makes launches take turns. {@link #tick(Instant)} does everything
 * that is due; a {@link TickLoop} calls it on a thread, and tests call it directly with a chosen instant.
 */
public final class EmbeddedRunEngine implements RunEngine, TickLoop.Tickable, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(EmbeddedRunEngine.class);
    static final String STEP = "main";

    private final RunStore store;
    private final TaskLauncher launcher;
    private final RunListener listener;
    private final Clock clock;
    private final Executor launchThreads;
    private final LaunchQueue queue;

    private final ReentrantLock lock = new ReentrantLock();
    private final WakeSignal changed = new WakeSignal();
    /** Unfinished runs' specs, as stored with each run. */
    private final Map<String, JobSpec> specs = new HashMap<>();
    /** Deadlines of running attempts not yet asked to stop (once asked, the deadline has done its job). */
    private final Map<String, Instant> deadlines = new HashMap<>();

    /** An engine that launches on threads of its own, one per slot (up to a bound): {@link #close} it. */
    public EmbeddedRunEngine(RunStore store, TaskLauncher launcher, RunListener listener, Clock clock,
                             int maxConcurrentAttempts) {
        this(store, launcher, listener, clock, maxConcurrentAttempts, new LaunchThreads(maxConcurrentAttempts));
    }

    /**
     * An engine whose launch calls run on the given executor, always outside the engine's lock. Tests that step
     * the engine by hand pass {@code Runnable::run}, so {@code tick} returns with its launches done.
     */
    public EmbeddedRunEngine(RunStore store, TaskLauncher launcher, RunListener listener, Clock clock,
                             int maxConcurrentAttempts, Executor launchThreads) {
        this.store = store;
        this.launcher = launcher;
        this.listener = listener;
        this.clock = clock;
        this.launchThreads = launchThreads;
        this.queue = new LaunchQueue(maxConcurrentAttempts, launcher, launchThreads, new LaunchSide());
    }

    /** Picks up every run an earlier process left unfinished: waiting ones queue again, running ones are watched again. */
    public void recover() {
        lock.lock();
        try {
            for (var stored : store.unfinished()) {
                Run run = stored.run();
                specs.put(run.runId(), stored.spec());
                if (run.status().isAwaitingLaunch()) {
                    run.nextLaunch().ifPresent(l -> queue.add(run.runId(), l.notBefore()));
                } else {
                    Attempt current = run.currentAttempt().orElseThrow();
                    track(run);
                    LOG.infof("run %s: watching attempt %d (task %s) again after restart", run.runId(),
                            current.number(), current.taskId());
                    launcher.reattach(request(run, stored.spec(), current.number(), current.capacity()),
                            launched(current), end -> taskEnded(end.runId(), end.attempt(), end.outcome(),
                                    end.endedAt(), end.costUsd()));
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
            queue.add(runId, run.createdAt());
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

    /** A run whose launch call is under way ends at once, as any waiting run; its task is stopped once it exists. */
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

    /** Does everything due at {@code now}: stops attempts past their deadline, then launches waiting runs while slots are free. */
    @Override
    public void tick(Instant now) {
        lock.lock();
        try {
            for (var entry : List.copyOf(deadlines.entrySet())) {
                if (!entry.getValue().isAfter(now)) {
                    store.find(entry.getKey()).ifPresent(run -> apply(run, new RunEvent.DeadlineReached(now)));
                }
            }
        } finally {
            lock.unlock();
        }
        queue.launchDue(now); // without the lock: the queue comes back for each run through LaunchSide
    }

    @Override
    public Optional<Instant> nextWakeUp() {
        lock.lock();
        try {
            return Stream.concat(deadlines.values().stream(), queue.nextDue().stream()).min(Instant::compareTo);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void awaitChange(long maxWaitNanos) throws InterruptedException {
        changed.await(maxWaitNanos);
    }

    /** Launch slots held now: launches under way, attempts running, attempts being stopped. */
    public int runningAttempts() {
        lock.lock(); // after any transition under way, so a run read as ended has given its slot back
        try {
            return queue.held();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Takes no more launches, and waits a little for those under way so each is recorded (one cut short is
     * launched again after the next start, as after a crash). Running tasks are left alone, as on any stop.
     * Launch threads given to the engine are the giver's to shut down.
     */
    @Override
    public void close() {
        if (launchThreads instanceof LaunchThreads own) {
            own.close();
        }
    }

    /** What the launch queue asks of the runs: each answer under the engine's lock. */
    private final class LaunchSide implements LaunchQueue.Runs {

        @Override
        public Optional<TaskRequest> pendingLaunch(String runId) {
            lock.lock();
            try {
                JobSpec spec = specs.get(runId);
                return store.find(runId).filter(run -> spec != null && run.status().isAwaitingLaunch())
                        .flatMap(run -> run.nextLaunch().map(next -> request(run, spec, next.attempt(), next.capacity())));
            } finally {
                lock.unlock();
            }
        }

        @Override
        public Optional<String> launched(TaskRequest request, LaunchedTask task) {
            lock.lock();
            try {
                Optional<Run> found = store.find(request.runId());
                JobSpec spec = specs.get(request.runId());
                var pending = found.filter(run -> run.status().isAwaitingLaunch()).flatMap(Run::nextLaunch)
                        .filter(next -> next.attempt() == request.attempt());
                if (pending.isEmpty() || spec == null) {
                    return Optional.of(found.flatMap(Run::cause).orElse("the run no longer waits for this task"));
                }
                Run next = apply(found.get(), new RunEvent.Launched(request.attempt(), pending.get().capacity(),
                        task.taskId(), task.ranOn(), task.logLocation(), task.startedAt(),
                        task.startedAt().plus(spec.timeout())));
                listener.attemptLaunched(next, next.currentAttempt().orElseThrow());
                return Optional.empty();
            } finally {
                lock.unlock();
            }
        }

        @Override
        public void launchFailed(TaskRequest request, StepOutcome outcome) {
            lock.lock();
            try {
                store.find(request.runId()).ifPresent(run ->
                        apply(run, new RunEvent.AttemptEnded(request.attempt(), outcome, clock.instant())));
            } finally {
                lock.unlock();
            }
        }

        @Override
        public void taskEnded(String runId, int attempt, StepOutcome outcome, Instant endedAt, Optional<BigDecimal> costUsd) {
            EmbeddedRunEngine.this.taskEnded(runId, attempt, outcome, endedAt, costUsd);
        }

        @Override
        public void slotFreed() {
            wake();
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
            queue.add(run.runId(), due.notBefore());
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

    /** Keeps the slots and the deadline index in step with a run's stored state. */
    private void track(Run run) {
        if (run.status() != RunStatus.RUNNING) {
            queue.notRunning(run.runId());
            deadlines.remove(run.runId());
            return;
        }
        queue.running(run.runId());
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

    private static LaunchedTask launched(Attempt attempt) {
        return new LaunchedTask(attempt.taskId(), attempt.ranOn(), attempt.startedAt(), attempt.logLocation());
    }

    private static TaskRequest request(Run run, JobSpec spec, int attempt, Capacity capacity) {
        return new TaskRequest(run.runId(), spec, STEP, attempt, spec.commandLine(),
                TaskEnvironment.of(spec, run, attempt), spec.timeout(), capacity);
    }
}
