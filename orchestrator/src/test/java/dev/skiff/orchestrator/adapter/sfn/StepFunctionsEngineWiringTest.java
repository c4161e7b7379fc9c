package dev.skiff.orchestrator.adapter.sfn;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.orchestrator.app.JobCatalog;
import dev.skiff.orchestrator.port.RunEngine;
import dev.skiff.workflows.RunIds;
import dev.skiff.workflows.RunStatus;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/** {@code skiff.engine=stepfunctions} wired into the service: the engine chosen, the jobs' state machines made. */
@QuarkusTest
@TestProfile(StepFunctionsEngineProfile.class)
class StepFunctionsEngineWiringTest {

    @Inject
    RunEngine engine;

    @Inject
    JobCatalog catalog;

    @Test
    void shouldRunOnStepFunctionsWithAStateMachinePerJobWhenTheEngineIsStepfunctions() throws Exception {
        // Given the service started in stepfunctions mode with one job in its directory
        String job = StepFunctionsEngineResource.aws.job();

        // When a run of the job starts through the engine the service chose
        String runId = RunIds.idempotencyKey(job, "wired");
        var started = engine.start(runId, catalog.find(job).orElseThrow(), "api", Map.of());

        // Then the engine is the Step Functions one, the job's state machine exists, and the run's launch
        // request reaches the configured dispatch queue
        assertThat(engine).isInstanceOf(StepFunctionsRunEngine.class);
        assertThat(started.created()).isTrue();
        assertThat(started.run().status()).isEqualTo(RunStatus.RUNNING);
        try (SfnClient sfn = MotoStepFunctions.sfn(); SqsClient sqs = MotoStepFunctions.sqs()) {
            assertThat(sfn.listStateMachines().stateMachines()).anySatisfy(m -> assertThat(m.name()).isEqualTo("skiff-" + job));
            var request = MotoStepFunctions.nextLaunchRequest(sqs, StepFunctionsEngineResource.aws.dispatchQueueUrl(),
                    Duration.ofSeconds(20));
            assertThat(request.path("runId").asText()).isEqualTo(runId);
        }
        assertThat(engine.get(runId)).hasValueSatisfying(run -> assertThat(run.job()).isEqualTo(job));
    }
}
