package dev.skiff.orchestrator.adapter.ecs;

import static dev.skiff.orchestrator.adapter.ecs.FargateFixtures.request;
import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.jobs.Capacity;
import dev.skiff.jobs.JobSpec;
import dev.skiff.orchestrator.TestSpecs;
import dev.skiff.orchestrator.adapter.ecs.FargateFixtures.RecordingMetrics;
import dev.skiff.orchestrator.domain.TaskEnvironment;
import dev.skiff.orchestrator.port.LaunchedTask;
import dev.skiff.orchestrator.port.TaskEnd;
import dev.skiff.orchestrator.port.TaskListener;
import dev.skiff.orchestrator.port.TaskView;
import dev.skiff.testing.EcsEvents;
import dev.skiff.workflows.StepOutcome;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.Task;

/**
 * One end path: a task's end reaches a listener once, whether the launcher's poll (DescribeTasks) or an ECS Task
 * State Change event (the Step Functions runtime's queue, or its reconciler's sweep) told it, and the event of a
 * task this process does not watch (another replica launched it) reaches the listener registered for every task
 * with the same report. On moto through the container-emulating proxy; the launchers here never poll on their own.
 */
class FargateTaskEndsTest {

    private EcsProxy proxy;
    private EcsClient ecs;
    private MotoEcs moto;
    private RecordingMetrics metrics;
    private FargateTaskLauncher launcher;
    private JobSpec spec;
    private final Ends watching = new Ends();
    private final Ends everyone = new Ends();

    /** Keeps every end it hears of. */
    private static final class Ends implements TaskListener {
        final List<TaskEnd> ends = new CopyOnWriteArrayList<>();

        @Override
        public void taskEnded(TaskEnd end) {
            ends.add(end);
        }
    }

    @BeforeEach
    void createLauncher() {
        proxy = new EcsProxy(MotoEcs.endpoint());
        ecs = MotoEcs.client(proxy.endpoint());
        moto = MotoEcs.create(ecs);
        metrics = new RecordingMetrics();
        launcher = new FargateTaskLauncher(ecs, moto.options(), metrics);
        spec = TestSpecs.shell("ends-" + MotoEcs.suffix(), "true", "capacity: on-demand");
        launcher.listenToAll(everyone, name -> Optional.of(spec));
    }

    @AfterEach
    void close() {
        launcher.close();
        ecs.close();
        proxy.close();
    }

    @Test
    void shouldReportAStoppedTaskOnceWhenPolledAndThenToldByItsEvent() {
        // Given a watched task whose end the poll has reported
        LaunchedTask task = launch("polled-first");
        TaskEnd polled = pollUntilEnded();

        // When its STOPPED event arrives too (the task-events queue, or the reconciler's sweep)
        boolean reported = launcher.ended(event(stoppedDocument(task)));

        // Then the end reached the watching listener once, nobody else, and the metrics count one end
        assertThat(reported).isFalse();
        assertThat(watching.ends).containsExactly(polled);
        assertThat(everyone.ends).isEmpty();
        assertThat(metrics.ended).containsExactly(new StepOutcome.Succeeded());
    }

    @Test
    void shouldReportAStoppedTaskOnceWhenToldByItsEventAndThenPolled() {
        // Given a watched task that has stopped
        LaunchedTask task = launch("event-first");
        Task stopped = stoppedDocument(task);

        // When its event comes before the next poll, and then the launcher polls
        boolean reported = launcher.ended(event(stopped));
        for (int i = 0; i < 3; i++) {
            launcher.poll();
        }

        // Then the watching listener heard of it once, from the event, and the metrics count one end
        assertThat(reported).isTrue();
        assertThat(watching.ends).singleElement().satisfies(end -> {
            assertThat(end.outcome()).isEqualTo(new StepOutcome.Succeeded());
            assertThat(end.report().taskArn()).isEqualTo(task.taskId());
        });
        assertThat(everyone.ends).isEmpty();
        assertThat(metrics.ended).hasSize(1);
    }

    @Test
    void shouldGiveTheListenerForEveryTaskTheSameEndWhenAnotherReplicaHearsTheEvent() {
        // Given a task this launcher watched and polled to its end
        LaunchedTask task = launch("other-replica");
        TaskEnd polled = pollUntilEnded();
        var elsewhere = new Ends();
        var replica = new FargateTaskLauncher(ecs, moto.options(), new RecordingMetrics());
        replica.listenToAll(elsewhere, name -> Optional.of(spec));

        // When another replica, which does not watch it, receives its STOPPED event
        boolean reported = replica.ended(replica.changeOf(EcsEvents.stateChange(stoppedDocument(task), 7)).orElseThrow());

        // Then its listener for every task gets the same attempt, outcome, task, capacity and cost, and the environment
        assertThat(reported).isTrue();
        TaskEnd told = elsewhere.ends.get(0);
        assertThat(elsewhere.ends).hasSize(1);
        assertThat(told).usingRecursiveComparison()
                .ignoringFields("endedAt", "report.startedAt", "report.stoppedAt", "environment")
                .isEqualTo(polled);
        assertThat(told.costUsd()).isPresent().isEqualTo(polled.costUsd());
        assertThat(told.environment()).containsEntry(TaskEnvironment.RUN_ID, "other-replica")
                .containsEntry(TaskEnvironment.ATTEMPT, "1");
    }

    private LaunchedTask launch(String runId) {
        Map<String, String> env = Map.of(TaskEnvironment.RUN_ID, runId, TaskEnvironment.JOB, spec.name(),
                TaskEnvironment.ATTEMPT, "1", TaskEnvironment.STEP, FargateFixtures.STEP);
        return launcher.launch(request(spec, runId, 1, Capacity.ON_DEMAND, env), watching);
    }

    private TaskEnd pollUntilEnded() {
        for (int i = 0; i < 10 && watching.ends.isEmpty(); i++) {
            launcher.poll();
        }
        assertThat(watching.ends).as("the poll reported the end").hasSize(1);
        return watching.ends.get(0);
    }

    /** The task's document once ECS (the emulator) shows it stopped. */
    private Task stoppedDocument(LaunchedTask task) {
        for (int i = 0; i < 10; i++) {
            Task found = ecs.describeTasks(r -> r.cluster(moto.cluster).tasks(task.taskId())).tasks().get(0);
            if ("STOPPED".equals(found.lastStatus())) {
                return found;
            }
        }
        throw new AssertionError("task " + task.taskId() + " never stopped");
    }

    private TaskView event(Task task) {
        return launcher.changeOf(EcsEvents.stateChange(task, 5)).orElseThrow();
    }
}
