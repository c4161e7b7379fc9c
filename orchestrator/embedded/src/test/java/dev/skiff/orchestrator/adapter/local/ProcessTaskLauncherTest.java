package dev.skiff.orchestrator.adapter.local;

import static dev.skiff.orchestrator.adapter.local.ProcessFixtures.NOW;
import static dev.skiff.orchestrator.adapter.local.ProcessFixtures.TIMEOUT;
import static dev.skiff.orchestrator.adapter.local.ProcessFixtures.environmentIn;
import static dev.skiff.orchestrator.adapter.local.ProcessFixtures.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skiff.orchestrator.port.LaunchFailedException;
import dev.skiff.orchestrator.port.LaunchedTask;
import dev.skiff.orchestrator.port.TaskLauncher;
import dev.skiff.orchestrator.port.TaskLauncherContract;
import dev.skiff.orchestrator.port.TaskRequest;
import dev.skiff.workflows.StepOutcome;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The launcher contract, and what launching a local process adds to it. Stops and reattaches have their own tests. */
class ProcessTaskLauncherTest extends TaskLauncherContract {

    @TempDir
    Path dataDir;

    private ProcessLauncherOptions options;
    private ProcessTaskLauncher launcher;

    @BeforeEach
    void createLauncher() {
        options = ProcessFixtures.options(dataDir);
        launcher = new ProcessTaskLauncher(options);
    }

    @Override
    protected TaskLauncher launcher() {
        return launcher;
    }

    @Override
    protected TaskRequest exitingWith(String runId, int attempt, int exitCode) {
        return request(runId, attempt, List.of("sh", "-c", "exit " + exitCode), Map.of());
    }

    @Override
    protected TaskRequest runningUntilStopped(String runId, int attempt) {
        return request(runId, attempt, List.of("sleep", "60"), Map.of());
    }

    @Override
    protected TaskRequest showingEnvironment(String runId, int attempt, Map<String, String> environment) {
        return request(runId, attempt, List.of("env"), environment);
    }

    @Override
    protected Optional<String> environmentSeenBy(LaunchedTask task, String name) {
        return Optional.ofNullable(environmentIn(task).get(name));
    }

    @Test
    void shouldWriteStdoutAndStderrToAttemptLogWhenCommandPrints() throws Exception {
        // Given
        var listener = new RecordingTaskListener();

        // When
        LaunchedTask task = launch(request("logs", 1, List.of("sh", "-c", "echo to-out; echo to-err >&2"), Map.of()),
                listener);
        var report = listener.next(TIMEOUT);

        // Then: and a local process has no price
        assertThat(report.costUsd()).isEmpty();
        Path expected = dataDir.resolve("logs").resolve("logs").resolve("attempt-1.log").toAbsolutePath();
        assertThat(task.logLocation()).isEqualTo(expected.toString());
        assertThat(task.ranOn()).isEqualTo("local");
        assertThat(Files.readAllLines(expected)).containsExactly("to-out", "to-err");
    }

    @Test
    void shouldAppendToLogAndIgnoreOldExitStatusWhenAttemptIsLaunchedAgain() throws Exception {
        // Given: an earlier launch of the same attempt that failed, as after a crash before it was recorded
        var first = new RecordingTaskListener();
        launch(request("again", 1, List.of("sh", "-c", "echo first; exit 3"), Map.of()), first);
        assertThat(first.next(TIMEOUT).outcome()).isEqualTo(new StepOutcome.Exited(3));

        // When
        var second = new RecordingTaskListener();
        LaunchedTask task = launch(request("again", 1, List.of("sh", "-c", "echo second"), Map.of()), second);

        // Then
        assertThat(second.next(TIMEOUT).outcome()).isEqualTo(new StepOutcome.Succeeded());
        assertThat(Files.readAllLines(Path.of(task.logLocation()))).containsExactly("first", "second");
    }

    @Test
    void shouldStampEndWithClockWhenEndIsObservedLive() throws Exception {
        // Given
        var listener = new RecordingTaskListener();

        // When
        launch(exitingWith("clock", 1, 0), listener);

        // Then
        assertThat(listener.next(TIMEOUT).endedAt()).isEqualTo(NOW);
    }

    @Test
    void shouldReportExited137WhenCommandIsKilledBySignal() throws Exception {
        // Given
        var listener = new RecordingTaskListener();

        // When
        launch(request("killed", 1, List.of("sh", "-c", "kill -KILL $$"), Map.of()), listener);

        // Then
        assertThat(listener.next(TIMEOUT).outcome()).isEqualTo(new StepOutcome.Exited(137));
    }

    @Test
    void shouldPassArgumentsVerbatimWhenTheyContainSpacesQuotesAndDollars() throws Exception {
        // Given
        var arguments = List.of("a b", "it's", "\"quoted\"", "$HOME", "$(id)", "`id`", "*", "", "-n", "x\ty");
        var command = new ArrayList<>(List.of("printf", "[%s]\\n"));
        command.addAll(arguments);
        var listener = new RecordingTaskListener();

        // When
        LaunchedTask task = launch(request("verbatim", 1, command, Map.of()), listener);
        listener.next(TIMEOUT);

        // Then
        assertThat(Files.readAllLines(Path.of(task.logLocation())))
                .containsExactlyElementsOf(arguments.stream().map(argument -> "[" + argument + "]").toList());
    }

    @Test
    void shouldGiveOnlyBaseAndRequestedVariablesWhenOrchestratorHoldsOthers() throws Exception {
        // Given: an orchestrator environment with a credential that must not reach jobs
        var orchestratorEnvironment = Map.of(
                "PATH", System.getenv("PATH"),
                "HOME", "/home/skiff",
                "AWS_SECRET_ACCESS_KEY", "not-for-jobs",
                "JAVA_TOOL_OPTIONS", "-Xmx1g");
        replaceLauncher(new ProcessTaskLauncher(options, orchestratorEnvironment));
        var listener = new RecordingTaskListener();

        // When
        LaunchedTask task = launch(showingEnvironment("env-only", 1, Map.of("SKIFF_RUN_ID", "env-only", "PATH",
                "/usr/bin:/bin")), listener);
        listener.next(TIMEOUT);

        // Then: PWD is the only addition, exported by the wrapper shell; it names the scratch directory
        Map<String, String> seen = environmentIn(task);
        assertThat(seen.keySet()).containsExactlyInAnyOrder("PATH", "HOME", "SKIFF_RUN_ID", "PWD");
        assertThat(seen).containsEntry("PATH", "/usr/bin:/bin").containsEntry("HOME", "/home/skiff");
        assertThat(Path.of(seen.get("PWD")))
                .isEqualTo(dataDir.resolve("scratch").resolve("env-only").resolve("attempt-1").toAbsolutePath());
    }

    @Test
    void shouldReportNonRetryableStartFailedWhenCommandIsNotFound() throws Exception {
        // Given
        var listener = new RecordingTaskListener();

        // When
        launch(request("missing", 1, List.of("skiff-no-such-command", "arg"), Map.of()), listener);

        // Then
        assertThat(listener.next(TIMEOUT).outcome())
                .isEqualTo(new StepOutcome.StartFailed("command not found: skiff-no-such-command", false));
    }

    @Test
    void shouldReportNonRetryableStartFailedWhenCommandIsNotExecutable() throws Exception {
        // Given
        Path script = Files.writeString(dataDir.resolve("not-executable.sh"), "echo never\n");
        var listener = new RecordingTaskListener();

        // When
        launch(request("noexec", 1, List.of(script.toString()), Map.of()), listener);

        // Then
        assertThat(listener.next(TIMEOUT).outcome())
                .isEqualTo(new StepOutcome.StartFailed("command not executable: " + script, false));
    }

    @Test
    void shouldReportExitedWhenProgramItselfExits127() throws Exception {
        // Given: a program that started and chose 127 is not a missing command
        var listener = new RecordingTaskListener();

        // When
        launch(exitingWith("exit127", 1, 127), listener);

        // Then
        assertThat(listener.next(TIMEOUT).outcome()).isEqualTo(new StepOutcome.Exited(127));
    }

    @Test
    void shouldThrowRetryableLaunchFailedWhenLogDirectoryCannotBeCreated() throws IOException {
        // Given: the logs "directory" is a regular file
        Path file = Files.writeString(dataDir.resolve("not-a-directory"), "");
        replaceLauncher(new ProcessTaskLauncher(options.withLogsDirectory(file)));

        // When / Then
        assertThatThrownBy(() -> launch(exitingWith("no-logs", 1, 0), new RecordingTaskListener()))
                .isInstanceOfSatisfying(LaunchFailedException.class, e -> assertThat(e.outcome())
                        .isInstanceOfSatisfying(StepOutcome.StartFailed.class, failed -> assertThat(failed.retryable()).isTrue()));
    }

    @Test
    void shouldRejectRunIdWhenItIsNotSafeAsPath() {
        assertThatThrownBy(() -> launcher.launch(exitingWith("../escape", 1, 0), new RecordingTaskListener()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("../escape");
    }


    private void replaceLauncher(ProcessTaskLauncher replacement) {
        launcher.close();
        launcher = replacement;
    }
}
