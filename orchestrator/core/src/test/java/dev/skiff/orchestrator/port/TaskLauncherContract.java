package dev.skiff.orchestrator.port;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.workflows.StepOutcome;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link TaskLauncher} adapter must do, whatever runs its tasks. A subclass supplies the
 * launcher and requests whose tasks behave as each method describes (a local command, a container
 * on an emulator); the tests here only launch, stop and watch.
 */
public abstract class TaskLauncherContract {

    private final List<LaunchedTask> launched = new ArrayList<>();

    /** The launcher under test; the same instance for the whole test. */
    protected abstract TaskLauncher launcher();

    /** A task that ends on its own with the given exit code. */
    protected abstract TaskRequest exitingWith(String runId, int attempt, int exitCode);

    /** A task that runs until it is stopped (far longer than {@link #reportTimeout()}). */
    protected abstract TaskRequest runningUntilStopped(String runId, int attempt);

    /** A task that succeeds and makes the environment it saw observable through {@link #environmentSeenBy}. */
    protected abstract TaskRequest showingEnvironment(String runId, int attempt, Map<String, String> environment);

    /** The value of a variable as the ended task saw it; empty when the task did not have it. */
    protected abstract Optional<String> environmentSeenBy(LaunchedTask task, String name);

    /** How long a task may take to be reported; an emulator may need longer than a local process. */
    protected Duration reportTimeout() {
        return Duration.ofSeconds(10);
    }

    /** Launches and remembers the task, so that a failing test leaves nothing running. */
    protected LaunchedTask launch(TaskRequest request, TaskListener listener) {
        LaunchedTask task = launcher().launch(request, listener);
        launched.add(task);
        return task;
    }

    /** Stops before closing: a closed launcher could no longer escalate a stop to a kill. */
    @AfterEach
    void stopLeftoverTasksThenCloseLauncher() throws Exception {
        launched.forEach(task -> launcher().stop(task, "test ended"));
        if (launcher() instanceof AutoCloseable closeable) {
            closeable.close();
        }
    }

    @Test
    void shouldReportSucceededOnceWhenTaskExitsZero() throws Exception {
        // Given
        var listener = new RecordingTaskListener();

        // When
        launch(exitingWith("contract-ok", 1, 0), listener);

        // Then
        Report report = listener.next(reportTimeout());
        assertThat(report.runId()).isEqualTo("contract-ok");
        assertThat(report.attempt()).isEqualTo(1);
        assertThat(report.outcome()).isEqualTo(new StepOutcome.Succeeded());
        assertThat(report.endedAt()).isNotNull();
        listener.assertNoFurtherReports();
    }

    @Test
    void shouldReportExitedWithCodeWhenTaskFails() throws Exception {
        // Given
        var listener = new RecordingTaskListener();

        // When
        launch(exitingWith("contract-fail", 2, 3), listener);

        // Then
        Report report = listener.next(reportTimeout());
        assertThat(report.attempt()).isEqualTo(2);
        assertThat(report.outcome()).isEqualTo(new StepOutcome.Exited(3));
        listener.assertNoFurtherReports();
    }

    @Test
    void shouldEndTaskAndReportOnceWhenStopped() throws Exception {
        // Given
        var listener = new RecordingTaskListener();
        LaunchedTask task = launch(runningUntilStopped("contract-stop", 1), listener);

        // When
        launcher().stop(task, "deadline passed");

        // Then: the launcher reports what it saw; deciding TimedOut or Cancelled is the engine's job
        Report report = listener.next(reportTimeout());
        assertThat(report.outcome()).isNotEqualTo(new StepOutcome.Succeeded());
        launcher().stop(task, "asked again after the end");
        listener.assertNoFurtherReports();
    }

    @Test
    void shouldPassEnvironmentWhenLaunching() throws Exception {
        // Given
        var listener = new RecordingTaskListener();
        var environment = Map.of("SKIFF_RUN_ID", "contract-env", "GREETING", "hello world");

        // When
        LaunchedTask task = launch(showingEnvironment("contract-env", 1, environment), listener);
        listener.next(reportTimeout());

        // Then
        assertThat(environmentSeenBy(task, "SKIFF_RUN_ID")).contains("contract-env");
        assertThat(environmentSeenBy(task, "GREETING")).contains("hello world");
    }

    @Test
    void shouldDescribeTaskWhenLaunched() throws Exception {
        // Given
        var listener = new RecordingTaskListener();

        // When
        LaunchedTask task = launch(exitingWith("contract-describe", 1, 0), listener);

        // Then
        assertThat(task.taskId()).isNotBlank();
        assertThat(task.ranOn()).isNotBlank();
        assertThat(task.startedAt()).isNotNull();
        assertThat(task.logLocation()).isNotBlank();
        listener.next(reportTimeout());
    }

    /** One call of {@link TaskListener#taskEnded}. */
    public record Report(String runId, int attempt, StepOutcome outcome, Instant endedAt, Optional<BigDecimal> costUsd) {
    }

    /** Keeps every report, so that a test can tell one report from two. */
    public static final class RecordingTaskListener implements TaskListener {

        /** Long enough for a duplicate report to arrive, short enough not to slow the suite. */
        private static final Duration QUIET_PERIOD = Duration.ofMillis(300);

        private final BlockingQueue<Report> reports = new LinkedBlockingQueue<>();

        @Override
        public void taskEnded(TaskEnd end) {
            reports.add(new Report(end.runId(), end.attempt(), end.outcome(), end.endedAt(), end.costUsd()));
        }

        /** Waits for the next report; fails when none comes in time. */
        public Report next(Duration timeout) throws InterruptedException {
            Report report = reports.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(report).as("a report within %s", timeout).isNotNull();
            return report;
        }

        public void assertNoFurtherReports() throws InterruptedException {
            assertThat(reports.poll(QUIET_PERIOD.toMillis(), TimeUnit.MILLISECONDS)).as("a second report").isNull();
        }
    }
}
