package dev.skiff.orchestrator.adapter.ecs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.workflows.StepOutcome;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.model.Container;
import software.amazon.awssdk.services.ecs.model.Task;
import software.amazon.awssdk.services.ecs.model.TaskStopCode;

/** Task documents as ECS describes them (and as its task-state events carry them), mapped to step outcomes. */
class TaskOutcomesTest {

    private static Task stopped(TaskStopCode code, String reason, Container... containers) {
        return Task.builder().taskArn("arn:aws:ecs:us-east-1:123456789012:task/skiff/abc").lastStatus("STOPPED")
                .desiredStatus("STOPPED").stopCode(code).stoppedReason(reason).containers(containers).build();
    }

    private static Container job(Integer exitCode, String reason) {
        return Container.builder().name("job").exitCode(exitCode).reason(reason).lastStatus("STOPPED").build();
    }

    @Test
    void shouldGiveNothingWhenTaskIsStillRunning() {
        // Given
        Task task = Task.builder().lastStatus("RUNNING").desiredStatus("RUNNING").containers(job(null, null)).build();

        // When / Then
        assertThat(TaskOutcomes.of(task)).isEmpty();
    }

    @Test
    void shouldReportSucceededWhenEssentialContainerExitedZero() {
        // Given
        Task task = stopped(TaskStopCode.ESSENTIAL_CONTAINER_EXITED, "Essential container in task exited", job(0, null));

        // When / Then
        assertThat(TaskOutcomes.of(task)).contains(new StepOutcome.Succeeded());
    }

    @Test
    void shouldReportExitCodeWhenEssentialContainerExitedThree() {
        // Given a sidecar that exited 0 and the job that exited 3
        Task task = stopped(TaskStopCode.ESSENTIAL_CONTAINER_EXITED, "Essential container in task exited",
                Container.builder().name("log-router").exitCode(0).build(), job(3, null));

        // When / Then
        assertThat(TaskOutcomes.of(task)).contains(new StepOutcome.Exited(3));
    }

    @Test
    void shouldReportSpotInterruptedWhenStopCodeIsSpotInterruption() {
        // Given
        Task task = stopped(TaskStopCode.SPOT_INTERRUPTION, "Your Spot Task was interrupted.", job(143, null));

        // When / Then
        assertThat(TaskOutcomes.of(task)).contains(new StepOutcome.SpotInterrupted("Your Spot Task was interrupted."));
    }

    @Test
    void shouldReportJobsOwnStartFailureWhenImageCannotBePulled() {
        // Given
        String reason = "CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref "
                + "docker.io/example/nope:1: docker.io/example/nope:1: not found";
        Task task = stopped(TaskStopCode.TASK_FAILED_TO_START, reason, job(null, null));

        // When / Then
        assertThat(TaskOutcomes.of(task)).contains(new StepOutcome.StartFailed(reason, false));
    }

    @Test
    void shouldReportRetryableStartFailureWhenNetworkInterfaceTimedOut() {
        // Given
        String reason = "Timeout waiting for network interface provisioning to complete.";
        Task task = stopped(TaskStopCode.TASK_FAILED_TO_START, reason, job(null, null));

        // When / Then
        assertThat(TaskOutcomes.of(task)).contains(new StepOutcome.StartFailed(reason, true));
    }

    @Test
    void shouldKeepBothReasonsWhenSecretCannotBeRead() {
        // Given
        Task task = stopped(TaskStopCode.TASK_FAILED_TO_START, "ResourceInitializationError: unable to pull secrets",
                job(null, "ResourceNotFoundException: Secrets Manager can't find the specified secret"));

        // When
        StepOutcome outcome = TaskOutcomes.of(task).orElseThrow();

        // Then
        assertThat(outcome).isEqualTo(new StepOutcome.StartFailed("ResourceInitializationError: unable to pull secrets "
                + "(ResourceNotFoundException: Secrets Manager can't find the specified secret)", false));
    }

    @Test
    void shouldReportCancelledWithTheStopReasonWhenStoppedOnTimeout() {
        // Given the engine stopped the task past its deadline (the engine, which asked, records TimedOut)
        Task task = stopped(TaskStopCode.USER_INITIATED, "attempt 1 ran past its timeout of PT2H", job(143, null));

        // When / Then
        assertThat(TaskOutcomes.of(task)).contains(new StepOutcome.Cancelled("attempt 1 ran past its timeout of PT2H"));
    }

    @Test
    void shouldReportLostWhenTaskStoppedWithoutExitCode() {
        // Given
        Task task = stopped(null, "", job(null, null));

        // When / Then
        assertThat(TaskOutcomes.of(task)).contains(new StepOutcome.Lost("the task stopped without an exit code"));
    }

    @Test
    void shouldReportLostWhenEcsStoppedTaskForTermination() {
        // Given
        Task task = stopped(TaskStopCode.TERMINATION_NOTICE, "Task stopped due to host termination", job(143, null));

        // When / Then
        assertThat(TaskOutcomes.of(task)).contains(new StepOutcome.Lost("TerminationNotice: Task stopped due to host termination"));
    }

    @Test
    void shouldClassifyCapacityShortageWhenRunTaskFailureSaysSo() {
        // Given / When
        StepOutcome outcome = StartFailures.classify(EcsProxy.SPOT_CAPACITY_FAILURE);

        // Then
        assertThat(outcome).isEqualTo(new StepOutcome.CapacityUnavailable(EcsProxy.SPOT_CAPACITY_FAILURE));
    }
}
