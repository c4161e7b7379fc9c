package dev.skiff.benchmarks;

import dev.skiff.testing.EcsEvents;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.Task;

/**
 * Plays ECS for a no-op command: every task the service logs as launched exits 0 at once (its STOPPED event goes to the
 * service's task-events queue, as EventBridge would send it). Keeps each task's launch and end, by task ARN.
 */
final class LaunchedTaskPlayer implements AutoCloseable {

    private static final long EVERY_MS = 50;

    /** A task that ran: launched (as the service logged it) and stopped (as the benchmark ended it). */
    record Played(ServiceLaunches.Launch launch, Instant stoppedAt) {
    }

    private final ServiceLaunches launches;
    private final EcsClient ecs;
    private final String cluster;
    private final EcsEvents events;
    private final List<ServiceLaunches.Launch> pending = new ArrayList<>();
    private final Map<String, Played> played = new ConcurrentHashMap<>();
    private final RepeatedRound rounds;

    LaunchedTaskPlayer(ServiceLaunches launches, EcsClient ecs, String cluster, EcsEvents events) {
        this.launches = launches;
        this.ecs = ecs;
        this.cluster = cluster;
        this.events = events;
        this.rounds = new RepeatedRound("playing ECS", EVERY_MS, this::play);
    }

    /** Ends the tasks launched since the last round; what fails stays pending for the next round. */
    private void play() throws Exception {
        pending.addAll(launches.next());
        while (!pending.isEmpty()) {
            List<ServiceLaunches.Launch> batch = pending.subList(0, Math.min(pending.size(), 100));
            List<String> arns = batch.stream().map(ServiceLaunches.Launch::taskArn).toList();
            Map<String, Task> ended = new HashMap<>();
            for (Task task : ecs.describeTasks(r -> r.cluster(cluster).tasks(arns)).tasks()) {
                ended.put(task.taskArn(), EcsEvents.exited(task, 0));
            }
            if (!ended.keySet().containsAll(arns)) {
                throw new IllegalStateException("ECS does not know every task the service logged as launched: "
                        + arns.stream().filter(a -> !ended.containsKey(a)).toList());
            }
            events.send(new ArrayList<>(ended.values()), 3);
            for (ServiceLaunches.Launch launch : batch) {
                played.put(launch.taskArn(), new Played(launch, ended.get(launch.taskArn()).stoppedAt()));
            }
            batch.clear();
        }
    }

    /** The tasks of the run played so far. */
    List<Played> ofRun(String runId) {
        return played.values().stream().filter(p -> p.launch().runId().equals(runId)).toList();
    }

    int errors() {
        return rounds.errors();
    }

    @Override
    public void close() throws InterruptedException {
        rounds.close();
    }
}
