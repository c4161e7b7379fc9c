package dev.skiff.orchestrator.adapter.embedded;

import dev.skiff.jobs.Capacity;
import com.fasterxml.jackson.databind.JsonNode;
import dev.skiff.jobs.JobSpec;
import dev.skiff.jobs.StepSpec;
import dev.skiff.orchestrator.adapter.embedded.RunStore.StoredUnit;
import dev.skiff.orchestrator.domain.TaskEnvironment;
import dev.skiff.orchestrator.app.TickLoop;
import dev.skiff.orchestrator.app.WakeSignal;
import dev.skiff.orchestrator.domain.ConflictException;
import dev.skiff.orchestrator.domain.NotFoundException;
import dev.skiff.orchestrator.port.LaunchedTask;
import dev.skiff.orchestrator.port.PipelineRun;
import dev.skiff.orchestrator.port.RunEngine;
import dev.skiff.orchestrator.port.RunListener;
import dev.skiff.orchestrator.port.TaskLauncher;
import dev.skiff.orchestrator.port.TaskRequest;
import dev.skiff.workflows.Attempt;
import dev.skiff.workflows.PipelineProgress;
import dev.skiff.workflows.RunValues;
import dev.skiff.workflows.SkiffErrors;
import dev.skiff.workflows.Run;
import dev.skiff.workflows.StepJobs;
import dev.skiff.workflows.RunCommand;
import dev.skiff.workflows.RunEvent;
import dev.skiff.workflows.RunLifecycle;
import dev.skiff.workflows.RunStatus;
import dev.skiff.workflows.StepOutcome;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.nio.file.Path;
import java.util.Collection;
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
    private final UnitInputs inputs;

    private final ReentrantLock lock = new ReentrantLock();
    private final WakeSignal changed = new WakeSignal();
    /**
     * The rules each unfinished unit follows, by its key ({@link UnitKeys}): a one-step run's spec as stored with it,
     * or a pipeline step's view ({@link StepJobs}).
     */
    private final Map<String, JobSpec> specs = new HashMap<>();
    /** Unfinished pipeline runs' specs, by run id. */
    private final Map<String, JobSpec> pipelines = new HashMap<>();
    /** Where each open pipeline run's units stand, so deciding what it does next reads nothing back from H2. */
    private final OpenPipelines open = new OpenPipelines();
    /** Deadlines of running attempts not yet asked to stop (once asked, the deadline has done its job), by unit key. */
    private final Map<String, Instant> deadlines = new HashMap<>();

    /** An engine that launches on threads of its own, one per slot (up to a bound): {@link #close} it. */
    public EmbeddedRunEngine(RunStore store, TaskLauncher launcher, RunListener listener, Clock clock,
                             int maxConcurrentAttempts) {
        this(store, launcher, listener, clock, maxConcurrentAttempts, new LaunchThreads(maxConcurrentAttempts));
    }

    /** As the engine with its own launch threads, listing {@code forEach.list} directories under {@code listing}'s root. */
    public EmbeddedRunEngine(RunStore store, TaskLauncher launcher, RunListener listener, Clock clock,
                             int maxConcurrentAttempts, LocalListing listing) {
        this(store, launcher, listener, clock, maxConcurrentAttempts, new LaunchThreads(maxConcurrentAttempts), listing);
    }

    /**
     * An engine whose launch calls run on the given executor, always outside the engine's lock. Tests that step
     * the engine by hand pass {@code Runnable::run}, so {@code tick} returns with its launches done.
     */
    public EmbeddedRunEngine(RunStore store, TaskLauncher launcher, RunListener listener, Clock clock,
                             int maxConcurrentAttempts, Executor launchThreads) {
        this(store, launcher, listener, clock, maxConcurrentAttempts, launchThreads, new LocalListing(Path.of("")));
    }

    /** @param listing what a forEach's {@code list:} may list */
    public EmbeddedRunEngine(RunStore store, TaskLauncher launcher, RunListener listener, Clock clock,
                             int maxConcurrentAttempts, Executor launchThreads, LocalListing listing) {
        this.store = store;
        this.launcher = launcher;
        this.listener = listener;
        this.clock = clock;
        this.launchThreads = launchThreads;
        this.queue = new LaunchQueue(maxConcurrentAttempts, launcher, launchThreads, new LaunchSide());
        this.inputs = new UnitInputs(store.outputs(), listing);
    }

    /**
     * Picks up every run an earlier process left unfinished: waiting units queue again, running ones are watched
     * again, and each pipeline run takes up where its stored units stand.
     */
    public void recover() {
        lock.lock();
        try {
            for (var stored : store.unfinished()) {
                if (stored.spec().isPipeline()) {
                    pipelines.put(stored.run().runId(), stored.spec());
                } else {
                    resume(stored.run(), stored.spec());
                }
            }
            for (var unit : store.unfinishedUnits()) {
                JobSpec job = Optional.ofNullable(pipelines.get(unit.runId()))
                        .or(() -> store.spec(unit.runId())).orElseThrow();
                resume(unit.run(), StepJobs.view(job, job.step(unit.step()).orElseThrow()));
                if (!pipelines.containsKey(unit.runId())) {
                    // The run ended before the crash let its stop reach this unit.
                    find(unit.run().runId()).ifPresent(run ->
                            apply(run, new RunEvent.CancelRequested("the run has ended", clock.instant())));
                }
            }
            // A crash between a unit's end and what follows it leaves the run to move on now.
            List.copyOf(pipelines.keySet()).forEach(this::advance);
            wake();
        } finally {
            lock.unlock();
        }
    }

    /** Queues a waiting unit again, or watches its running attempt again. */
    private void resume(Run run, JobSpec spec) {
        String key = run.runId();
        specs.put(key, spec);
        if (run.status().isAwaitingLaunch()) {
            run.nextLaunch().ifPresent(l -> queue.add(key, l.notBefore()));
            return;
        }
        Attempt current = run.currentAttempt().orElseThrow();
        track(run);
        LOG.infof("run %s: watching attempt %d (task %s) again after restart", key, current.number(), current.taskId());
        launcher.reattach(request(run, current.number(), current.capacity()), launched(current),
                end -> taskEnded(key, end.attempt(), end.outcome(), end.endedAt(), end.costUsd(), end.output()));
        // A stop asked for before the crash may never have reached the task: ask again.
        current.stop().ifPresent(stop -> launcher.stop(launched(current), stop.detail()));
    }

    @Override
    public Started start(String runId, JobSpec job, String trigger, Map<String, String> parameters) {
        lock.lock();
        try {
            if (job.isPipeline()) {
                return startPipeline(runId, job, trigger, parameters);
            }
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
    public Optional<PipelineRun> pipeline(String runId) {
        return store.spec(runId).filter(JobSpec::isPipeline)
                .map(job -> PipelineStates.pipeline(job, store.units(runId), store.items(runId)));
    }

    @Override
    public List<Run> list(RunQuery query) {
        return store.list(query);
    }

    @Override
    public List<Run> listAmong(Collection<String> jobs, RunQuery query) {
        query.requireEveryJob();
        return store.listAmong(jobs, query);
    }

    @Override
    public Map<String, Instant> newestRuns(Collection<String> jobs, String trigger) {
        return store.newestRuns(jobs, trigger);
    }

    /** One query for all jobs: narrowing them first would cost more than it saves. */
    @Override
    public boolean newestRunsQueryPerJob() {
        return false;
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
            if (pipelines.containsKey(runId)) {
                return cancelPipeline(run, reason);
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
                    find(entry.getKey()).ifPresent(run -> apply(run, new RunEvent.DeadlineReached(now)));
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
        public Optional<TaskRequest> pendingLaunch(String key) {
            lock.lock();
            try {
                JobSpec spec = specs.get(key);
                return find(key).filter(run -> spec != null && run.status().isAwaitingLaunch())
                        .flatMap(run -> run.nextLaunch().map(next -> request(run, next.attempt(), next.capacity())));
            } finally {
                lock.unlock();
            }
        }

        @Override
        public Optional<String> launched(TaskRequest request, LaunchedTask task) {
            lock.lock();
            try {
                String key = keyOf(request);
                Optional<Run> found = find(key);
                JobSpec spec = specs.get(key);
                var pending = found.filter(run -> run.status().isAwaitingLaunch()).flatMap(Run::nextLaunch)
                        .filter(next -> next.attempt() == request.attempt());
                if (pending.isEmpty() || spec == null) {
                    return Optional.of(found.flatMap(Run::cause).orElse("the run no longer waits for this task"));
                }
                Run next = apply(found.get(), new RunEvent.Launched(request.attempt(), pending.get().capacity(),
                        task.taskId(), task.ranOn(), task.logLocation(), task.startedAt(),
                        task.startedAt().plus(spec.timeout())));
                listener.attemptLaunched(next, next.currentAttempt().orElseThrow());
                if (UnitKeys.isUnit(key)) {
                    pipelineRunning(request.runId());
                }
                return Optional.empty();
            } finally {
                lock.unlock();
            }
        }

        @Override
        public void launchFailed(TaskRequest request, StepOutcome outcome) {
            lock.lock();
            try {
                find(keyOf(request)).ifPresent(run ->
                        apply(run, new RunEvent.AttemptEnded(request.attempt(), outcome, clock.instant())));
            } finally {
                lock.unlock();
            }
        }

        @Override
        public void taskEnded(String key, int attempt, StepOutcome outcome, Instant endedAt, Optional<BigDecimal> costUsd,
                              Optional<String> output) {
            EmbeddedRunEngine.this.taskEnded(key, attempt, outcome, endedAt, costUsd, output);
        }

        @Override
        public void slotFreed() {
            wake();
        }
    }

    private void taskEnded(String key, int attempt, StepOutcome outcome, Instant endedAt, Optional<BigDecimal> costUsd,
                           Optional<String> output) {
        lock.lock();
        try {
            if (output.isPresent() && outcome instanceof StepOutcome.Succeeded) {
                keepOutput(key, attempt, output.get());
            }
            find(key).ifPresent(run -> {
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
        write(next);
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
        } else if (command instanceof RunCommand.Finished finished && UnitKeys.isUnit(run.runId())) {
            specs.remove(run.runId());
            LOG.infof("run %s: %s%s", run.runId(), finished.status(),
                    run.error().map(e -> " (" + e + ": " + run.cause().orElse("") + ")").orElse(""));
            advance(UnitKeys.runOf(run.runId()));
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

    // ---- Pipelines: a run of several units, each run by the lifecycle above with its step's rules (docs/pipelines.md).

    /** A pipeline run: stored with no attempts of its own; its units are created as {@link PipelineProgress} says. */
    private Started startPipeline(String runId, JobSpec job, String trigger, Map<String, String> parameters) {
        Run run = new Run(runId, job.name(), trigger, parameters, RunStatus.PENDING, clock.instant(), Optional.empty(),
                List.of(), Optional.empty(), Optional.empty(), Optional.empty());
        if (!store.insertIfAbsent(run, job)) {
            return new Started(store.find(runId).orElseThrow(), false);
        }
        pipelines.put(runId, job);
        listener.runCreated(run);
        advance(runId);
        wake();
        return new Started(store.find(runId).orElseThrow(), true);
    }

    /**
     * Does what the run's stored units call for: resolves items, creates and queues the units that may start, and
     * ends the run (stopping its running units) once it has an end. Each change is written before it is acted on,
     * so a restart that calls this again does the rest and nothing twice.
     */
    /** A pipeline run's units as the store holds them, for a run this process has not followed yet. */
    private OpenPipelines.Units storedUnits(String runId) {
        var units = new OpenPipelines.Units();
        store.units(runId).forEach(unit -> units.unit(unit.step(), unit.item(), unit.run().status()));
        store.items(runId).forEach((step, items) -> units.items(step, PipelineStates.json(items)));
        return units;
    }

    private void advance(String runId) {
        JobSpec job = pipelines.get(runId);
        if (job == null) {
            return;
        }
        var progress = new PipelineProgress(job);
        boolean again = true;
        while (again) {
            Run run = store.find(runId).orElseThrow();
            OpenPipelines.Units units = open.of(runId, this::storedUnits);
            var next = progress.next(units.states());
            boolean cancelling = run.error().filter(SkiffErrors.CANCELLED::equals).isPresent();
            if (next.outcome().isPresent() || (cancelling && units.allEnded())) {
                finishPipeline(run, job, next.outcome(), store.units(runId), store.items(runId), cancelling);
                next.stop().forEach(unit -> stopUnit(runId, unit, "the run ended: step " + next.outcome()
                        .flatMap(PipelineProgress.End::failedStep).orElse("") + " failed"));
                return;
            }
            if (cancelling) {
                return; // nothing new starts; the run ends when its last unit has stopped
            }
            again = false;
            for (String step : next.resolveItems()) {
                resolveItems(run, job.step(step).orElseThrow());
                again = true;
            }
            if (!again) {
                for (PipelineProgress.Unit unit : next.start()) {
                    again |= !createUnit(run, job, unit, units);
                }
            }
        }
    }

    /** Resolves a forEach step's items and keeps them, or fails the step when they cannot be had. */
    private void resolveItems(Run run, StepSpec step) {
        try {
            JsonNode items = inputs.items(run, step.forEach().orElseThrow());
            store.keepItems(run.runId(), step.name(), items.toString());
            open.itemsResolved(run.runId(), step.name(), items);
            LOG.infof("run %s: step %s has %d items", run.runId(), step.name(), items.size());
        } catch (RunValues.UnresolvableException e) {
            String error = e instanceof RunValues.TooManyItemsException ? SkiffErrors.TOO_MANY_ITEMS : SkiffErrors.BAD_REFERENCE;
            failedAtOnce(run, step.name(), PipelineProgress.NO_ITEM, error, e.getMessage());
        }
    }

    /** Creates the unit and queues it; false when it failed at once (a reference that names nothing). */
    private boolean createUnit(Run run, JobSpec job, PipelineProgress.Unit unit, OpenPipelines.Units units) {
        StepSpec step = job.step(unit.step()).orElseThrow();
        Optional<JsonNode> item = unit.item() == PipelineProgress.NO_ITEM ? Optional.empty()
                : Optional.of(units.itemsOf(unit.step()).orElseThrow().get(unit.item()));
        Map<String, String> environment;
        try {
            environment = inputs.environment(run, step, unit.item(), item);
        } catch (RunValues.UnresolvableException e) {
            failedAtOnce(run, unit.step(), unit.item(), SkiffErrors.BAD_REFERENCE, e.getMessage());
            return false;
        }
        String key = UnitKeys.of(run.runId(), unit.step(), unit.item());
        Run created = Run.create(key, job.name(), run.trigger(), run.parameters(), step.capacity(), clock.instant());
        store.insertUnit(new StoredUnit(run.runId(), unit.step(), unit.item(), created, environment));
        open.unitChanged(run.runId(), unit.step(), unit.item(), created.status());
        specs.put(key, StepJobs.view(job, step));
        queue.add(key, created.createdAt());
        return true;
    }

    /** A unit that fails before any attempt: it is written as failed, with why. */
    private void failedAtOnce(Run run, String step, int item, String error, String cause) {
        Instant now = clock.instant();
        String key = UnitKeys.of(run.runId(), step, item);
        LOG.infof("run %s: %s failed before it started (%s: %s)", run.runId(), key, error, cause);
        store.insertUnit(new StoredUnit(run.runId(), step, item, new Run(key, run.job(), run.trigger(), run.parameters(),
                RunStatus.FAILED, now, Optional.of(now), List.of(), Optional.empty(), Optional.of(error),
                Optional.of(cause)), Map.of()));
        open.unitChanged(run.runId(), step, item, RunStatus.FAILED);
    }

    private void stopUnit(String runId, PipelineProgress.Unit unit, String reason) {
        find(UnitKeys.of(runId, unit.step(), unit.item())).ifPresent(run ->
                apply(run, new RunEvent.CancelRequested(reason, clock.instant())));
    }

    /** The run's end, from the step that failed it (its failed unit's error, or too many failed items). */
    private void finishPipeline(Run run, JobSpec job, Optional<PipelineProgress.End> end, List<StoredUnit> units,
                                Map<String, String> items, boolean cancelling) {
        RunStatus status;
        Optional<String> error = Optional.empty();
        Optional<String> cause = Optional.empty();
        if (cancelling) {
            status = RunStatus.CANCELLED;
            error = run.error();
            cause = run.cause();
        } else if (end.orElseThrow().succeeded()) {
            status = RunStatus.SUCCEEDED;
        } else {
            StepSpec step = job.step(end.get().failedStep().orElseThrow()).orElseThrow();
            List<Run> failed = units.stream().filter(u -> u.step().equals(step.name()))
                    .map(StoredUnit::run).filter(u -> u.status().isTerminal() && u.status() != RunStatus.SUCCEEDED)
                    .sorted(java.util.Comparator.comparing(u -> u.endedAt().orElse(u.createdAt()))).toList();
            Run first = failed.get(0);
            boolean counted = step.forEach().isPresent() && items.containsKey(step.name())
                    && !PipelineProgress.toleratesNothing(step.forEach().get().tolerated());
            if (counted) {
                int total = PipelineStates.json(items.get(step.name())).size();
                status = RunStatus.FAILED;
                error = Optional.of(SkiffErrors.TOO_MANY_FAILED_ITEMS);
                cause = Optional.of("step " + step.name() + ": " + failed.size() + " of " + total
                        + " items failed; its forEach.toleratedFailures allows " + step.forEach().get().tolerated());
            } else {
                status = first.status() == RunStatus.SUCCEEDED ? RunStatus.FAILED : first.status();
                error = first.error();
                cause = Optional.of(first.runId().substring(run.runId().length() + 1) + ": " + first.cause().orElse(""));
            }
        }
        Run finished = new Run(run.runId(), run.job(), run.trigger(), run.parameters(), status, run.createdAt(),
                Optional.of(clock.instant()), run.attempts(), Optional.empty(), error, cause);
        store.update(finished);
        pipelines.remove(run.runId());
        open.closed(run.runId());
        LOG.infof("run %s: %s%s", run.runId(), status, error.map(e -> " (" + e + ": " + finished.cause().orElse("") + ")").orElse(""));
        listener.runFinished(finished);
    }

    /** The run's first unit has launched: the run runs. */
    private void pipelineRunning(String runId) {
        store.find(runId).filter(run -> run.status() == RunStatus.PENDING).ifPresent(run -> store.update(
                new Run(runId, run.job(), run.trigger(), run.parameters(), RunStatus.RUNNING, run.createdAt(),
                        Optional.empty(), run.attempts(), Optional.empty(), run.error(), run.cause())));
    }

    /**
     * Cancels every unit that has not ended; the run ends CANCELLED once they have. Until then the run is marked
     * as cancelling (its error is already Skiff.Cancelled), so nothing new starts, also after a restart.
     */
    private Run cancelPipeline(Run run, String reason) {
        store.update(new Run(run.runId(), run.job(), run.trigger(), run.parameters(), run.status(), run.createdAt(),
                Optional.empty(), run.attempts(), Optional.empty(), Optional.of(SkiffErrors.CANCELLED), Optional.of(reason)));
        for (StoredUnit unit : store.units(run.runId())) {
            // Read again: cancelling one unit may have ended the run, and with it stopped the others.
            find(unit.run().runId()).filter(u -> !u.status().isTerminal())
                    .ifPresent(u -> apply(u, new RunEvent.CancelRequested(reason, clock.instant())));
        }
        advance(run.runId());
        return store.find(run.runId()).orElseThrow();
    }

    /** A succeeded attempt's output, kept before its success is recorded: steps that start next read it. */
    private void keepOutput(String key, int attempt, String output) {
        if (!UnitKeys.isUnit(key)) {
            return;
        }
        store.findUnit(key).filter(unit -> unit.item() == PipelineProgress.NO_ITEM).ifPresent(unit -> {
            LOG.infof("run %s: step %s attempt %d wrote %d bytes of output", unit.runId(), unit.step(), attempt,
                    output.length());
            store.outputs().keep(unit.runId(), unit.step(), output);
        });
    }

    /** The launch of one attempt of a unit: a one-step run's as it always was, or a pipeline unit's with its step's fields. */
    private TaskRequest request(Run run, int attempt, Capacity capacity) {
        String key = run.runId();
        JobSpec spec = specs.get(key);
        if (!UnitKeys.isUnit(key)) {
            return new TaskRequest(key, spec, STEP, attempt, spec.commandLine(),
                    TaskEnvironment.of(spec, run, attempt), spec.timeout(), capacity);
        }
        StoredUnit unit = store.findUnit(key).orElseThrow();
        JobSpec job = pipelineSpec(unit.runId());
        StepSpec step = job.step(unit.step()).orElseThrow();
        var environment = new HashMap<>(TaskEnvironment.of(spec, unit.runId(), run.trigger(), run.parameters(), attempt));
        environment.put(TaskEnvironment.STEP, unit.step());
        environment.putAll(unit.environment());
        return new TaskRequest(unit.runId(), job, unit.step(), attempt, step.commandLine(), environment, step.timeout(),
                capacity, unit.item());
    }

    private JobSpec pipelineSpec(String runId) {
        return Optional.ofNullable(pipelines.get(runId)).or(() -> store.spec(runId)).orElseThrow();
    }

    private static String keyOf(TaskRequest request) {
        return request.job().isPipeline() ? UnitKeys.of(request.runId(), request.step(), request.item()) : request.runId();
    }

    /** A one-step run, or a unit of a pipeline run, by its key. */
    private Optional<Run> find(String key) {
        return UnitKeys.isUnit(key) ? store.findUnit(key).map(StoredUnit::run) : store.find(key);
    }

    private void write(Run run) {
        if (UnitKeys.isUnit(run.runId())) {
            store.updateUnit(run);
            PipelineProgress.Unit unit = UnitKeys.unitOf(run.runId());
            open.unitChanged(UnitKeys.runOf(run.runId()), unit.step(), unit.item(), run.status());
        } else {
            store.update(run);
        }
    }
}
