package dev.skiff.orchestrator.adapter.ecs;

import dev.skiff.orchestrator.port.TaskListener;
import dev.skiff.workflows.StepOutcome;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.Failure;
import software.amazon.awssdk.services.ecs.model.Task;

/**
 * Learns when watched tasks stop, by asking DescribeTasks about all of them (at most 100 a call) on
 * each {@link #tick}, and reports each task's end once. A stop that ECS did not take is asked again on
 * the next tick, so a task past its deadline is never left running because one call failed.
 */
final class TaskWatcher {

    private static final Logger LOG = Logger.getLogger(TaskWatcher.class);
    /** DescribeTasks takes at most 100 tasks a call. */
    static final int BATCH = 100;
    /** A task unknown to ECS this many ticks in a row has vanished (ECS forgets stopped tasks after an hour or so). */
    static final int MISSES_BEFORE_LOST = 3;

    /** One attempt's task, and whom to tell when it ends; cpu and memory are the spec's, to price a task that lacks them. */
    record Watch(String runId, int attempt, String job, int cpuUnits, int memoryMiB, TaskListener listener) {
    }

    private final EcsClient ecs;
    private final FargateOptions options;
    private final FargateMetrics metrics;
    private final Map<String, Watch> watched = new ConcurrentHashMap<>();
    private final Map<String, Integer> misses = new ConcurrentHashMap<>();
    private final Map<String, String> pendingStops = new ConcurrentHashMap<>();
    /** Spot interruptions seen per {@code runId/attempt}: each relaunch needs a new client token. */
    private final Map<String, Integer> interruptions = new ConcurrentHashMap<>();

    TaskWatcher(EcsClient ecs, FargateOptions options, FargateMetrics metrics) {
        this.ecs = ecs;
        this.options = options;
        this.metrics = metrics;
    }

    void watch(String taskArn, Watch watch) {
        watched.put(taskArn, watch);
    }

    boolean isWatching(String taskArn) {
        return watched.containsKey(taskArn);
    }

    int interruptionsOf(String runId, int attempt) {
        return interruptions.getOrDefault(runId + "/" + attempt, 0);
    }

    /** Asks ECS to stop the task now; if that fails, again on every tick until the task has stopped. */
    void stop(String taskArn, String reason) {
        String bounded = reason.length() > 255 ? reason.substring(0, 255) : reason;
        if (!requestStop(taskArn, bounded) && watched.containsKey(taskArn)) {
            pendingStops.put(taskArn, bounded);
        }
    }

    /** One round: retries pending stops, describes every watched task, reports those that ended. */
    void tick() {
        pendingStops.forEach((arn, reason) -> {
            if (!watched.containsKey(arn) || requestStop(arn, reason)) {
                pendingStops.remove(arn);
            }
        });
        List<String> arns = new ArrayList<>(watched.keySet());
        for (int from = 0; from < arns.size(); from += BATCH) {
            List<String> batch = arns.subList(from, Math.min(arns.size(), from + BATCH));
            try {
                describe(batch);
            } catch (SdkException e) {
                LOG.warnf("DescribeTasks failed for %d tasks; asking again next time: %s", batch.size(), e.getMessage());
            }
        }
    }

    private void describe(List<String> batch) {
        var response = ecs.describeTasks(r -> r.cluster(options.cluster()).tasks(batch));
        Set<String> seen = new HashSet<>();
        for (Task task : response.tasks()) {
            seen.add(task.taskArn());
            misses.remove(task.taskArn());
            TaskOutcomes.of(task).ifPresent(outcome -> end(task.taskArn(), outcome, Optional.of(task)));
        }
        // ECS answers MISSING in failures; an emulator may simply leave the task out.
        for (String arn : batch) {
            if (!seen.contains(arn) && misses.merge(arn, 1, Integer::sum) >= MISSES_BEFORE_LOST) {
                String why = response.failures().stream().filter(f -> arn.equals(f.arn())).map(Failure::reason)
                        .findFirst().orElse("MISSING");
                end(arn, new StepOutcome.Lost("ECS no longer knows task " + arn + " (" + why + ")"), Optional.empty());
            }
        }
    }

    private void end(String arn, StepOutcome outcome, Optional<Task> task) {
        Watch watch = watched.remove(arn);
        misses.remove(arn);
        pendingStops.remove(arn);
        if (watch == null) {
            return; // reported already
        }
        if (outcome instanceof StepOutcome.SpotInterrupted) {
            interruptions.merge(watch.runId() + "/" + watch.attempt(), 1, Integer::sum);
        }
        Instant endedAt = task.map(Task::stoppedAt).orElseGet(options.clock()::instant);
        String ranOn = task.flatMap(t -> CapacityProvider.named(t.capacityProviderName())).map(CapacityProvider::ranOn)
                .orElse("unknown");
        Optional<BigDecimal> cost = task.flatMap(t -> TaskCosts.of(t, watch.cpuUnits(), watch.memoryMiB(), options.prices()));
        LOG.infof("run %s: attempt %d ended on %s (task %s): %s, estimated cost %s USD", watch.runId(), watch.attempt(),
                ranOn, arn, outcome, cost.map(BigDecimal::toPlainString).orElse("unknown"));
        metrics.ended(watch.job(), ranOn, outcome, cost.map(BigDecimal::doubleValue).orElse(0.0));
        watch.listener().taskEnded(watch.runId(), watch.attempt(), outcome, endedAt, cost);
    }

    private boolean requestStop(String arn, String reason) {
        try {
            ecs.stopTask(r -> r.cluster(options.cluster()).task(arn).reason(reason));
            return true;
        } catch (SdkException e) {
            LOG.warnf("StopTask %s failed; asking again on the next poll: %s", arn, e.getMessage());
            return false;
        }
    }
}
