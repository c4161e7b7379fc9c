package dev.skiff.orchestrator.adapter.ecs;

import dev.skiff.orchestrator.port.TaskListener;
import dev.skiff.workflows.StepOutcome;
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
 * each {@link #tick}, and hands each stopped (or vanished) task to the launcher's end path, which reports it
 * once. A stop that ECS did not take is asked again on the next tick, so a task past its deadline is never left
 * running because one call failed.
 */
final class TaskWatcher {

    private static final Logger LOG = Logger.getLogger(TaskWatcher.class);
    /** DescribeTasks takes at most 100 tasks a call. */
    static final int BATCH = 100;
    /** A task unknown to ECS this many ticks in a row has vanished (ECS forgets stopped tasks after an hour or so). */
    static final int MISSES_BEFORE_LOST = 3;

    /** One attempt's task, and whom to tell when it ends. */
    record Watch(TaskDocuments.Attempt attempt, TaskListener listener) {
    }

    /** Where the tasks the watcher saw end go: the launcher's one end path. */
    interface Ends {
        void stopped(Task task);

        void vanished(String taskArn, StepOutcome.Lost outcome);
    }

    private final EcsClient ecs;
    private final FargateOptions options;
    private final Ends ends;
    private final Map<String, Watch> watched = new ConcurrentHashMap<>();
    private final Map<String, Integer> misses = new ConcurrentHashMap<>();
    private final Map<String, String> pendingStops = new ConcurrentHashMap<>();
    /** Spot interruptions seen per {@code runId/attempt}: each relaunch needs a new client token. */
    private final Map<String, Integer> interruptions = new ConcurrentHashMap<>();

    TaskWatcher(EcsClient ecs, FargateOptions options, Ends ends) {
        this.ecs = ecs;
        this.options = options;
        this.ends = ends;
    }

    void watch(String taskArn, Watch watch) {
        watched.put(taskArn, watch);
    }

    Optional<Watch> watchOf(String taskArn) {
        return Optional.ofNullable(watched.get(taskArn));
    }

    /**
     * Stops watching the task, whose end is being reported; null when it was not watched (by this process, or any
     * more). A Spot interruption counts towards the attempt's next relaunch.
     */
    Watch release(String taskArn, StepOutcome outcome) {
        Watch watch = watched.remove(taskArn);
        misses.remove(taskArn);
        pendingStops.remove(taskArn);
        if (watch != null && outcome instanceof StepOutcome.SpotInterrupted) {
            interruptions.merge(watch.attempt().runId() + "/" + watch.attempt().attempt(), 1, Integer::sum);
        }
        return watch;
    }

    int interruptionsOf(String runId, int attempt) {
        return interruptions.getOrDefault(runId + "/" + attempt, 0);
    }

    /** Asks ECS to stop the task now; if that fails, again on every tick until the task has stopped. */
    void stop(String taskArn, String reason) {
        String bounded = bounded(reason);
        if (!requestStop(taskArn, bounded) && watched.containsKey(taskArn)) {
            pendingStops.put(taskArn, bounded);
        }
    }

    /** A stop reason cut to what ECS takes. */
    static String bounded(String reason) {
        return reason.length() > 255 ? reason.substring(0, 255) : reason;
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
            if (TaskOutcomes.of(task).isPresent()) {
                ends.stopped(task);
            }
        }
        // ECS answers MISSING in failures; an emulator may simply leave the task out.
        for (String arn : batch) {
            if (!seen.contains(arn) && misses.merge(arn, 1, Integer::sum) >= MISSES_BEFORE_LOST) {
                String why = response.failures().stream().filter(f -> arn.equals(f.arn())).map(Failure::reason)
                        .findFirst().orElse("MISSING");
                ends.vanished(arn, new StepOutcome.Lost("ECS no longer knows task " + arn + " (" + why + ")"));
            }
        }
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
