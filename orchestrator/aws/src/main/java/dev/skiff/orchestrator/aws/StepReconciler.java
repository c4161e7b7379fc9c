package dev.skiff.orchestrator.aws;

import dev.skiff.jobs.JobSpec;
import dev.skiff.jobs.StepSpec;
import dev.skiff.orchestrator.adapter.sfn.StepWaits;
import dev.skiff.orchestrator.adapter.sfn.TaskTokens;
import dev.skiff.orchestrator.app.TickLoop;
import dev.skiff.orchestrator.port.TaskFleet;
import dev.skiff.orchestrator.port.TaskView;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.jboss.logging.Logger;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Sweeps Skiff's tasks in the cluster every interval, so that no step depends on one event arriving:
 * <ul>
 *   <li>a running task past its job's timeout is stopped (its STOPPED event then fails the step with
 *       {@code Skiff.Timeout});</li>
 *   <li>every other running task's step gets a heartbeat; a step that no longer waits (its run was cancelled or
 *       Step Functions timed it out) gets its task stopped instead, since nothing would ever read its result;</li>
 *   <li>a stopped task whose step still waits for it (its STOPPED event was lost, or arrived while no replica
 *       ran) is settled as the event would have settled it.</li>
 * </ul>
 * Every replica may sweep: heartbeats and answers are idempotent, and a stop asked twice is one stop.
 */
public final class StepReconciler implements TickLoop.Tickable {

    private static final Logger LOG = Logger.getLogger(StepReconciler.class);
    private static final String STOPPED = "STOPPED";
    /** Why a task of a pipeline run that has ended is stopped. */
    static final String RUN_ENDED_STOP_REASON = "Skiff: its run has ended (another step or item failed it, or it was stopped)";

    /** What one sweep did, for logs and tests. */
    public record Sweep(int heartbeats, int timedOut, int orphansStopped, int settled) {
    }

    private final TaskFleet fleet;
    private final TaskTokens tokens;
    private final StepCompletion completion;
    private final StepWaits waits;
    private final Function<String, Optional<JobSpec>> jobs;
    private final Duration interval;
    private volatile Instant nextSweep = Instant.MIN;

    public StepReconciler(TaskFleet fleet, TaskTokens tokens, StepCompletion completion, StepWaits waits,
                          Function<String, Optional<JobSpec>> jobs, Duration interval) {
        this.fleet = fleet;
        this.tokens = tokens;
        this.completion = completion;
        this.waits = waits;
        this.jobs = jobs;
        this.interval = interval;
    }

    @Override
    public void tick(Instant now) {
        if (now.isBefore(nextSweep)) {
            return;
        }
        nextSweep = now.plus(interval);
        Sweep sweep = sweep(now);
        if (sweep.timedOut() + sweep.orphansStopped() + sweep.settled() > 0) {
            LOG.infof("reconciler: %s", sweep);
        }
    }

    @Override
    public Optional<Instant> nextWakeUp() {
        return Optional.of(nextSweep);
    }

    @Override
    public void awaitChange(long maxWaitNanos) throws InterruptedException {
        TimeUnit.NANOSECONDS.sleep(maxWaitNanos); // nothing brings a sweep forward
    }

    /** One sweep over running and recently stopped tasks; a task that fails is tried again next sweep. */
    public Sweep sweep(Instant now) {
        int heartbeats = 0;
        int timedOut = 0;
        int orphans = 0;
        int settled = 0;
        List<TaskView> stopped = new ArrayList<>(fleet.stopped());
        Map<String, Boolean> ended = new HashMap<>();
        for (TaskView task : fleet.running()) {
            Optional<StepTask> step = completion.stepOf(task);
            if (step.isEmpty()) {
                continue;
            }
            if (STOPPED.equals(task.lastStatus())) { // stopped on its own; ECS has not moved its desired status yet
                stopped.add(task);
                continue;
            }
            try {
                Optional<JobSpec> job = jobs.apply(step.get().job());
                Optional<Duration> timeout = job.flatMap(j -> j.step(step.get().step())).map(StepSpec::timeout);
                if (job.map(JobSpec::isPipeline).orElse(false) && ended.computeIfAbsent(step.get().runId(),
                        run -> waits.ended(step.get().job(), run))) {
                    // A Map's or Parallel's other tasks when one failed the run: AWS closes their tokens, which the
                    // heartbeat below would find, but moto keeps them open; either way nothing reads their results.
                    fleet.stopTask(task.taskId(), RUN_ENDED_STOP_REASON);
                    orphans++;
                } else if (timeout.isPresent() && task.startedAt().isPresent()
                        && now.isAfter(task.startedAt().get().plus(timeout.get()))) {
                    fleet.stopTask(task.taskId(), TaskFleet.TIMEOUT_STOP_REASON + " after " + timeout.get());
                    timedOut++;
                } else if (tokens.heartbeat(step.get().taskToken()) == TaskTokens.Delivery.DELIVERED) {
                    heartbeats++;
                } else {
                    fleet.stopTask(task.taskId(), "Skiff: its step no longer waits for it (run cancelled or timed out)");
                    orphans++;
                }
            } catch (SdkException e) {
                LOG.warnf("reconciler: task %s: %s; trying again next sweep", task.taskId(), e.getMessage());
            }
        }
        for (TaskView task : stopped) {
            Optional<StepTask> step = completion.stepOf(task);
            if (step.isEmpty() || completion.isSettled(task.taskId())) {
                continue;
            }
            try {
                if (waits.awaits(step.get().job(), step.get().runId(), step.get().step(), step.get().item(),
                        step.get().attempt())) {
                    // The launcher's one end path brings the end to the completion, once, as an event would have.
                    StepCompletion.Outcome outcome = fleet.ended(task) ? completion.outcomeOf(task.taskId())
                            : StepCompletion.Outcome.IGNORED;
                    if (outcome == StepCompletion.Outcome.ANSWERED || outcome == StepCompletion.Outcome.RELAUNCHED) {
                        settled++;
                        LOG.infof("reconciler: run %s: settled attempt %d from stopped task %s (its event never came)",
                                step.get().runId(), step.get().attempt(), task.taskId());
                    }
                } else {
                    completion.forget(task.taskId());
                }
            } catch (SdkException e) {
                LOG.warnf("reconciler: stopped task %s: %s; trying again next sweep", task.taskId(), e.getMessage());
            }
        }
        return new Sweep(heartbeats, timedOut, orphans, settled);
    }
}
