package dev.skiff.orchestrator.adapter.embedded;

import dev.skiff.orchestrator.port.LaunchFailedException;
import dev.skiff.orchestrator.port.LaunchedTask;
import dev.skiff.orchestrator.port.TaskLauncher;
import dev.skiff.orchestrator.port.TaskRequest;
import dev.skiff.workflows.StepOutcome;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.Executor;
import org.jboss.logging.Logger;

/**
 * The runs waiting to launch, soonest first, the launch slots they wait for
 * ({@code skiff.embedded.max-concurrent-attempts}), and the launch calls themselves, each on a launch thread so
 * slow launches (RunTask, a rate limiter's wait) overlap and never hold the engine's lock.
 *
 * <p>A run holds a slot from the moment its launch is handed out until its task has ended: while the launch
 * call is under way, while the attempt runs (the engine says when, through {@link #running}/{@link #notRunning}),
 * and while it is being stopped. What the run becomes is the engine's business: the queue asks it through
 * {@link Runs}, never while holding its own lock, so the engine may call the queue under its lock.
 */
final class LaunchQueue {

    /** The engine's side: what each launch is for, and what came of it. Each call takes the engine's lock. */
    interface Runs {

        /**
         * The end of a task the queue launched, once its launch is recorded.
         *
         * @param output the JSON the task wrote to SKIFF_OUTPUT, when it wrote one
         */
        void taskEnded(String runId, int attempt, StepOutcome outcome, Instant endedAt, Optional<BigDecimal> costUsd,
                       Optional<String> output);

        /** The request for the run's pending launch; empty when the run no longer waits for one. */
        Optional<TaskRequest> pendingLaunch(String runId);

        /** Records the task as the run's attempt; empty when done, else why the task must stop (the run no longer waits for it). */
        Optional<String> launched(TaskRequest request, LaunchedTask task);

        void launchFailed(TaskRequest request, StepOutcome outcome);

        /** A slot became free outside any engine transition: the engine's loop should look for due work. */
        void slotFreed();
    }

    private record Due(Instant at, long order, String runId) implements Comparable<Due> {
        @Override
        public int compareTo(Due o) {
            int byTime = at.compareTo(o.at);
            return byTime != 0 ? byTime : Long.compare(order, o.order);
        }
    }

    private static final Logger LOG = Logger.getLogger(LaunchQueue.class);

    private final int slots;
    private final TaskLauncher launcher;
    private final Executor threads;
    private final Runs runs;
    /** Hints, not promises: the engine checks the stored run before it launches one, so a stale entry costs nothing. */
    private final PriorityQueue<Due> due = new PriorityQueue<>();
    private final Set<String> running = new HashSet<>();
    private final Map<String, LaunchInFlight> launching = new HashMap<>();
    private long order;

    LaunchQueue(int slots, TaskLauncher launcher, Executor threads, Runs runs) {
        if (slots < 1) {
            throw new IllegalArgumentException("maxConcurrentAttempts must be at least 1, got " + slots);
        }
        this.slots = slots;
        this.launcher = launcher;
        this.threads = threads;
        this.runs = runs;
    }

    /** Queues the run's next launch for {@code notBefore}; equal times launch in the order they were queued. */
    synchronized void add(String runId, Instant notBefore) {
        due.add(new Due(notBefore, order++, runId));
    }

    /** The run's attempt runs (or is being stopped): it holds a slot until {@link #notRunning}. */
    synchronized void running(String runId) {
        running.add(runId);
    }

    synchronized void notRunning(String runId) {
        running.remove(runId);
    }

    /** Slots held: launches under way, attempts running, attempts being stopped. */
    synchronized int held() {
        int launchingOnly = (int) launching.keySet().stream().filter(runId -> !running.contains(runId)).count();
        return running.size() + launchingOnly;
    }

    /** When the next waiting run is due, while a slot is free for it; empty when only a freed slot or a new run can change that. */
    synchronized Optional<Instant> nextDue() {
        return held() < slots && !due.isEmpty() ? Optional.of(due.peek().at()) : Optional.empty();
    }

    /** Hands every run due by {@code now} to a launch thread while slots are free. Call it without the engine's lock. */
    void launchDue(Instant now) {
        for (var launch = takeDue(now); launch.isPresent(); launch = takeDue(now)) {
            LaunchInFlight taken = launch.get();
            Optional<TaskRequest> request = runs.pendingLaunch(taken.runId());
            if (request.isEmpty()) {
                settle(taken); // cancelled, or a stale entry: the slot goes back
                continue;
            }
            threads.execute(() -> launch(taken, request.get()));
        }
    }

    private synchronized Optional<LaunchInFlight> takeDue(Instant now) {
        while (held() < slots && !due.isEmpty() && !due.peek().at().isAfter(now)) {
            String runId = due.poll().runId();
            if (!launching.containsKey(runId) && !running.contains(runId)) {
                var launch = new LaunchInFlight(runId);
                launching.put(runId, launch);
                return Optional.of(launch);
            }
        }
        return Optional.empty();
    }

    /** On a launch thread, holding no lock: the launch call, then what came of it. */
    private void launch(LaunchInFlight launch, TaskRequest request) {
        LaunchedTask task;
        try {
            task = launcher.launch(request, end -> taskEnded(launch,
                    new LaunchInFlight.TaskEnd(end.attempt(), end.outcome(), end.endedAt(), end.costUsd(), end.output())));
        } catch (LaunchFailedException e) {
            LOG.warnf("run %s: attempt %d did not start: %s", request.runId(), request.attempt(), e.getMessage());
            failed(launch, request, e.outcome());
            return;
        } catch (RuntimeException e) {
            // A launcher bug must not strand the run in PENDING: record it as a start failure the policy may retry.
            LOG.errorf(e, "run %s: launching attempt %d failed unexpectedly", request.runId(), request.attempt());
            failed(launch, request, new StepOutcome.StartFailed("the launcher failed: " + e, true));
            return;
        }
        try {
            record(launch, request, task);
        } catch (RuntimeException e) {
            // Nothing on this thread would ever give the slot back; the run resumes from the store at the next start.
            LOG.errorf(e, "run %s: recording the launch of attempt %d (task %s) failed", request.runId(),
                    request.attempt(), task.taskId());
            settle(launch);
            runs.slotFreed();
        }
    }

    private void record(LaunchInFlight launch, TaskRequest request, LaunchedTask task) {
        Optional<String> stopReason = runs.launched(request, task);
        if (stopReason.isEmpty()) {
            settle(launch).ifPresent(end -> runs.taskEnded(launch.runId(), end.attempt(), end.outcome(), end.at(), end.costUsd(), end.output()));
        } else if (abandon(launch)) {
            LOG.infof("run %s: stopping task %s of attempt %d, which started after the run ended: %s", request.runId(),
                    task.taskId(), request.attempt(), stopReason.get());
            launcher.stop(task, stopReason.get());
        } else {
            runs.slotFreed(); // the unwanted task has ended already
        }
    }

    private void failed(LaunchInFlight launch, TaskRequest request, StepOutcome outcome) {
        settle(launch);
        runs.launchFailed(request, outcome);
        runs.slotFreed();
    }

    /** The launch is over: its slot is released (unless its attempt now runs), and an end that overtook it is returned. */
    private synchronized Optional<LaunchInFlight.TaskEnd> settle(LaunchInFlight launch) {
        launching.remove(launch.runId(), launch);
        return launch.earlyEnd();
    }

    /** Marks the launch's task as being stopped; false when it has ended already (its slot is then released). */
    private synchronized boolean abandon(LaunchInFlight launch) {
        if (launch.earlyEnd().isPresent()) {
            launching.remove(launch.runId(), launch);
            return false;
        }
        launch.abandon();
        return true;
    }

    /** The end of a task this queue launched: kept while its launch call is under way, passed on once it is recorded. */
    private void taskEnded(LaunchInFlight launch, LaunchInFlight.TaskEnd end) {
        boolean recorded;
        boolean abandonedEnded = false;
        synchronized (this) {
            recorded = launching.get(launch.runId()) != launch;
            if (!recorded && launch.abandoned()) {
                launching.remove(launch.runId(), launch);
                abandonedEnded = true;
            } else if (!recorded) {
                launch.endedEarly(end);
            }
        }
        if (recorded) {
            runs.taskEnded(launch.runId(), end.attempt(), end.outcome(), end.at(), end.costUsd(), end.output());
        } else if (abandonedEnded) {
            runs.slotFreed();
        }
    }
}
