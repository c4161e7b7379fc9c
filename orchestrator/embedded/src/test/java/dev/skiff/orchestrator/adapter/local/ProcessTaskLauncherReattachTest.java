package dev.skiff.orchestrator.adapter.local;

import static dev.skiff.orchestrator.adapter.local.ProcessFixtures.TIMEOUT;
import static dev.skiff.orchestrator.adapter.local.ProcessFixtures.exitFileOf;
import static dev.skiff.orchestrator.adapter.local.ProcessFixtures.request;
import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.orchestrator.port.LaunchedTask;
import dev.skiff.orchestrator.port.TaskLauncherContract.RecordingTaskListener;
import dev.skiff.orchestrator.port.TaskListener;
import dev.skiff.orchestrator.port.TaskRequest;
import dev.skiff.workflows.StepOutcome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Finding a task again after an orchestrator restart, through its pid and the files it left. */
class ProcessTaskLauncherReattachTest {

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
    void shouldReportRealExitCodeWhenReattachedToProcessStillRunning() throws Exception {
        // Given: a task launched before a restart, waiting for a file to appear
        Path go = dataDir.resolve("go");
        TaskRequest request = request("reattach-live", 1,
                List.of("sh", "-c", "while [ ! -e \"$0\" ]; do sleep 0.05; done; exit 5", go.toString()), Map.of());
        LaunchedTask task = launch(request, new RecordingTaskListener());
        launcher.close();
        ProcessTaskLauncher afterRestart = restartedLauncher();
        var listener = new RecordingTaskListener();

        // When
        afterRestart.reattach(request, task, listener);
        afterRestart.reattach(request, task, listener);
        Files.writeString(go, "");

        // Then
        assertThat(listener.next(TIMEOUT).outcome()).isEqualTo(new StepOutcome.Exited(5));
        listener.assertNoFurtherReports();
    }

    @Test
    void shouldTakeOverTheProcessWhenALaunchIsRepeatedAfterARestartThatCameBeforeTheLaunchWasRecorded() throws Exception {
        // Given: an attempt launched, then the orchestrator killed before it recorded the launch (its engine still
        // waits to launch the attempt); the job counts its starts
        Path go = dataDir.resolve("go");
        Path starts = dataDir.resolve("starts");
        TaskRequest request = request("launch-window", 1, List.of("sh", "-c",
                "echo started >> \"$1\"; while [ ! -e \"$0\" ]; do sleep 0.05; done; exit 4", go.toString(),
                starts.toString()), Map.of());
        LaunchedTask first = launch(request, new RecordingTaskListener());
        launcher.close();
        ProcessTaskLauncher afterRestart = restartedLauncher();
        var listener = new RecordingTaskListener();

        // When the restarted engine launches the same attempt again
        LaunchedTask second = afterRestart.launch(request, listener);
        Files.writeString(go, "");

        // Then it took over the running process: the job started once, and its end is reported once
        assertThat(second.taskId()).isEqualTo(first.taskId());
        assertThat(listener.next(TIMEOUT).outcome()).isEqualTo(new StepOutcome.Exited(4));
        listener.assertNoFurtherReports();
        assertThat(Files.readAllLines(starts)).containsExactly("started");
    }

    @Test
    void shouldTakeOverTheProcessWhenTheOrchestratorWasKilledBetweenStartingItAndNamingIt() throws Exception {
        // Given: an attempt whose process started, and an orchestrator killed before its marker named the process
        // (the marker still says only that it was launching), before the engine recorded the launch
        Path go = dataDir.resolve("go");
        Path starts = dataDir.resolve("starts");
        TaskRequest request = request("unnamed", 1, List.of("sh", "-c",
                "echo started >> \"$1\"; while [ ! -e \"$0\" ]; do sleep 0.05; done; exit 4", go.toString(),
                starts.toString()), Map.of());
        LaunchedTask first = launch(request, new RecordingTaskListener());
        launcher.close();
        StartedMarker.writeLaunching(AttemptFiles.of(options, "unnamed", 1));
        ProcessTaskLauncher afterRestart = restartedLauncher();
        var listener = new RecordingTaskListener();

        // When the restarted engine launches the same attempt again
        LaunchedTask second = afterRestart.launch(request, listener);
        Files.writeString(go, "");

        // Then it found the process by its command line and took it over: the job started once, its end reported once
        assertThat(second.taskId()).isEqualTo(first.taskId());
        assertThat(listener.next(TIMEOUT).outcome()).isEqualTo(new StepOutcome.Exited(4));
        listener.assertNoFurtherReports();
        assertThat(Files.readAllLines(starts)).containsExactly("started");
    }

    @Test
    void shouldReportTheEndOfAProcessThatRanToItsEndAfterTheOrchestratorWasKilledBeforeNamingIt() throws Exception {
        // Given: an attempt's wrapped process run to its end (exit 3), its marker saying only that it was launching
        Path starts = dataDir.resolve("starts");
        TaskRequest request = request("unnamed-ended", 1, List.of("sh", "-c", "echo started >> \"$0\"; exit 3",
                starts.toString()), Map.of());
        AttemptFiles files = AttemptFiles.of(options, "unnamed-ended", 1);
        files.prepare();
        StartedMarker.writeLaunching(files);
        Process ran = new ProcessBuilder(WrappedCommand.argv(Optional.empty(), files.exit(), request.commandLine()))
                .directory(files.scratch().toFile()).start();
        assertThat(ran.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        var listener = new RecordingTaskListener();

        // When the restarted engine launches the attempt again
        restartedLauncher().launch(request, listener);

        // Then the end it left is reported, and the job did not run a second time
        assertThat(listener.next(TIMEOUT).outcome()).isEqualTo(new StepOutcome.Exited(3));
        listener.assertNoFurtherReports();
        assertThat(Files.readAllLines(starts)).containsExactly("started");
    }

    @Test
    void shouldLaunchAnAttemptWhoseLaunchWasKilledBeforeItsProcessStarted() throws Exception {
        // Given: a marker saying an attempt was launching, and no process or end of it anywhere
        Path starts = dataDir.resolve("starts");
        TaskRequest request = request("never-ran", 1, List.of("sh", "-c", "echo started >> \"$0\"", starts.toString()),
                Map.of());
        AttemptFiles files = AttemptFiles.of(options, "never-ran", 1);
        files.prepare();
        StartedMarker.writeLaunching(files);
        var listener = new RecordingTaskListener();

        // When it is launched
        restartedLauncher().launch(request, listener);

        // Then it runs
        assertThat(listener.next(TIMEOUT).outcome()).isEqualTo(new StepOutcome.Succeeded());
        assertThat(Files.readAllLines(starts)).containsExactly("started");
    }

    @Test
    void shouldStartANewProcessWhenTheSameAttemptIsLaunchedAgainAfterItsEndWasReported() throws Exception {
        // Given an attempt that ended and was reported
        Path starts = dataDir.resolve("starts");
        TaskRequest request = request("relaunched", 1, List.of("sh", "-c", "echo started >> \"$0\"", starts.toString()),
                Map.of());
        var listener = new RecordingTaskListener();
        launch(request, listener);
        assertThat(listener.next(TIMEOUT).outcome()).isEqualTo(new StepOutcome.Succeeded());

        // When it is launched again
        launch(request, listener);

        // Then the job ran again: only a start the engine never heard of is taken over
        assertThat(listener.next(TIMEOUT).outcome()).isEqualTo(new StepOutcome.Succeeded());
        assertThat(Files.readAllLines(starts)).containsExactly("started", "started");
    }

    @Test
    void shouldReportRealExitCodeWhenReattachedToProcessThatIsNotAChild() throws Exception {
        // Given: a wrapped command started through a shell that exits at once, so that the process is
        // not a child of this JVM, as after a real restart; Java then cannot read its exit value
        Path go = dataDir.resolve("go");
        TaskRequest request = request("orphan", 1,
                List.of("sh", "-c", "while [ ! -e \"$0\" ]; do sleep 0.05; done; exit 6", go.toString()), Map.of());
        AttemptFiles files = AttemptFiles.of(options, "orphan", 1);
        files.prepare();
        var starter = new ArrayList<>(List.of("/bin/sh", "-c", "\"$@\" </dev/null >/dev/null 2>&1 & echo $!", "starter"));
        starter.addAll(WrappedCommand.argv(Optional.empty(), files.exit(), request.commandLine()));
        Process intermediary = new ProcessBuilder(starter).directory(files.scratch().toFile()).start();
        long pid = Long.parseLong(new String(intermediary.getInputStream().readAllBytes()).strip());
        intermediary.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        ProcessHandle orphan = ProcessHandle.of(pid).orElseThrow();
        var task = new LaunchedTask(Long.toString(pid), "local", orphan.info().startInstant().orElseThrow(),
                files.log().toString());
        var listener = new RecordingTaskListener();

        // When
        try {
            launcher.reattach(request, task, listener);
            Files.writeString(go, "");

            // Then
            assertThat(listener.next(TIMEOUT).outcome()).isEqualTo(new StepOutcome.Exited(6));
        } finally {
            orphan.destroyForcibly();
        }
    }

    @Test
    void shouldReportRecordedExitCodeWhenProcessEndedWhileOrchestratorWasDown() throws Exception {
        // Given
        TaskRequest request = request("reattach-ended", 1, List.of("sh", "-c", "exit 4"), Map.of());
        var before = new RecordingTaskListener();
        LaunchedTask task = launch(request, before);
        before.next(TIMEOUT);
        var listener = new RecordingTaskListener();

        // When
        restartedLauncher().reattach(request, task, listener);

        // Then: the end is when the exit status was written, not when it was read
        var report = listener.next(TIMEOUT);
        assertThat(report.outcome()).isEqualTo(new StepOutcome.Exited(4));
        assertThat(report.endedAt()).isEqualTo(Files.getLastModifiedTime(exitFileOf(task)).toInstant());
    }

    @Test
    void shouldReportLostWhenProcessEndedWithoutExitStatus() throws Exception {
        // Given: a task that ended while nobody watched and whose exit status is gone
        TaskRequest request = request("reattach-lost", 1, List.of("sh", "-c", "exit 4"), Map.of());
        var before = new RecordingTaskListener();
        LaunchedTask task = launch(request, before);
        before.next(TIMEOUT);
        Files.delete(exitFileOf(task));
        var listener = new RecordingTaskListener();

        // When
        restartedLauncher().reattach(request, task, listener);

        // Then
        assertThat(listener.next(TIMEOUT).outcome()).isEqualTo(new StepOutcome.Lost(
                "process ended while the orchestrator was down and left no exit status"));
    }

    @Test
    void shouldNeitherWatchNorStopProcessWhenItsPidWasReused() throws Exception {
        // Given: a live process whose start time differs from the recorded one, as when a pid is reused
        TaskRequest request = request("reused", 1, List.of("sleep", "60"), Map.of());
        var owner = new RecordingTaskListener();
        LaunchedTask task = launch(request, owner);
        LocalTaskId id = LocalTaskId.parse(task.taskId()).orElseThrow();
        var recorded = new LaunchedTask(
                new LocalTaskId(id.pid(), id.osStart().map(start -> start.minus(Duration.ofHours(1)))).format(),
                task.ranOn(), task.startedAt(), task.logLocation());
        ProcessTaskLauncher afterRestart = restartedLauncher();
        var listener = new RecordingTaskListener();

        // When
        afterRestart.reattach(request, recorded, listener);
        afterRestart.stop(recorded, "cancelled");

        // Then
        assertThat(listener.next(TIMEOUT).outcome()).isInstanceOf(StepOutcome.Lost.class);
        owner.assertNoFurtherReports();
        assertThat(ProcessHandle.of(id.pid()).map(ProcessHandle::isAlive)).contains(true);
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

    /** A launcher of a new orchestrator process: it shares the files but not the memory of the first. */
    private ProcessTaskLauncher restartedLauncher() {
        return newLauncher(options);
    }
}
