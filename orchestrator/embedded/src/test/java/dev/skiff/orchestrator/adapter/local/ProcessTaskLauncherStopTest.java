package dev.skiff.orchestrator.adapter.local;

import static dev.skiff.orchestrator.adapter.local.ProcessFixtures.TIMEOUT;
import static dev.skiff.orchestrator.adapter.local.ProcessFixtures.awaitFirstLine;
import static dev.skiff.orchestrator.adapter.local.ProcessFixtures.firstLineAsPid;
import static dev.skiff.orchestrator.adapter.local.ProcessFixtures.request;
import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.orchestrator.port.LaunchedTask;
import dev.skiff.orchestrator.port.TaskLauncherContract.RecordingTaskListener;
import dev.skiff.orchestrator.port.TaskListener;
import dev.skiff.orchestrator.port.TaskRequest;
import dev.skiff.workflows.StepOutcome;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Stopping a local task: the whole process tree, SIGTERM first and SIGKILL after the grace period. */
class ProcessTaskLauncherStopTest {

    @TempDir
    Path dataDir;

    private ProcessLauncherOptions options;
    private ProcessTaskLauncher launcher;
    private final List<ProcessTaskLauncher> launchers = new ArrayList<>();
    private final List<LaunchedTask> launched = new ArrayList<>();

    @BeforeEach
    void createLauncher() {
        options = ProcessFixtures.options(dataDir);
        launcher = newLauncher(options);
    }

    /** Stops before closing: a closed launcher could no longer escalate a stop to a kill. */
    @AfterEach
    void stopLeftoverTasksThenCloseLaunchers() {
        launched.forEach(task -> launcher.stop(task, "test ended"));
        launchers.forEach(ProcessTaskLauncher::close);
    }

    @Test
    void shouldKillGrandchildWhenStopped() throws Exception {
        // Given: a command whose child shell started a grandchild and waits for it
        var listener = new RecordingTaskListener();
        LaunchedTask task = launch(request("tree", 1, List.of("sh", "-c", "sleep 60 & echo $!; wait"), Map.of()),
                listener);
        ProcessHandle grandchild = ProcessHandle.of(firstLineAsPid(Path.of(task.logLocation()))).orElseThrow();

        // When
        launcher.stop(task, "cancelled");

        // Then
        assertThat(listener.next(TIMEOUT).outcome()).isEqualTo(new StepOutcome.Exited(143));
        grandchild.onExit().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        assertThat(grandchild.isAlive()).isFalse();
    }

    @Test
    void shouldKillDetachedProcessWhenStoppedThroughItsProcessGroup() throws Exception {
        // Given: a process whose parent exited, so it is no longer a descendant but is still in the group
        assertThat(WrappedCommand.locate("setsid", System.getenv("PATH")))
                .as("setsid (util-linux) must be on PATH: the launcher kills process groups with it").isPresent();
        var listener = new RecordingTaskListener();
        LaunchedTask task = launch(request("detached", 1, List.of("sh", "-c", "( sleep 60 & echo $! ); sleep 60"),
                Map.of()), listener);
        ProcessHandle detached = ProcessHandle.of(firstLineAsPid(Path.of(task.logLocation()))).orElseThrow();

        // When
        launcher.stop(task, "cancelled");

        // Then
        listener.next(TIMEOUT);
        detached.onExit().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        assertThat(detached.isAlive()).isFalse();
    }

    @Test
    void shouldSendSigkillWhenTaskIgnoresSigtermPastGracePeriod() throws Exception {
        // Given: a task that ignores SIGTERM (the ignored disposition is inherited by sleep)
        launcher = newLauncher(options.withStopGracePeriod(Duration.ofMillis(300)));
        var listener = new RecordingTaskListener();
        LaunchedTask task = launch(request("stubborn", 1,
                List.of("sh", "-c", "trap '' TERM; echo ready; sleep 60"), Map.of()), listener);
        awaitFirstLine(Path.of(task.logLocation()));

        // When
        launcher.stop(task, "deadline passed");

        // Then: the wrapper was killed too, so the outcome comes from its exit value
        assertThat(listener.next(TIMEOUT).outcome()).isEqualTo(new StepOutcome.Exited(137));
    }


    private LaunchedTask launch(TaskRequest request, TaskListener listener) {
        LaunchedTask task = launcher.launch(request, listener);
        launched.add(task);
        return task;
    }

    private ProcessTaskLauncher newLauncher(ProcessLauncherOptions with) {
        var next = new ProcessTaskLauncher(with);
        launchers.add(next);
        return next;
    }
}
