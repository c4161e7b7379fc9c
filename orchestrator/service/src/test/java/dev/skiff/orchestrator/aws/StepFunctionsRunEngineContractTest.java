package dev.skiff.orchestrator.aws;

import dev.skiff.jobs.JobSpec;
import dev.skiff.orchestrator.adapter.sfn.MotoAnswers;
import dev.skiff.orchestrator.adapter.sfn.MotoCauses;
import dev.skiff.orchestrator.adapter.sfn.MotoStepFunctions;
import dev.skiff.orchestrator.adapter.sfn.StateMachineOptions;
import dev.skiff.orchestrator.adapter.sfn.StateMachines;
import dev.skiff.orchestrator.adapter.sfn.StepFunctionsRunEngine;
import dev.skiff.orchestrator.adapter.sfn.StepWaits;
import dev.skiff.orchestrator.adapter.sfn.TaskTokens;
import dev.skiff.orchestrator.port.RunEngine;
import dev.skiff.orchestrator.port.RunEngineContract;
import dev.skiff.orchestrator.port.TaskRecords;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The run engine contract on Step Functions: the real engine and compiled state machines, executed by moto, with
 * {@link LocalSteps} playing ECS (real shell commands as local processes, answering each step's token).
 */
class StepFunctionsRunEngineContractTest extends RunEngineContract {

    /** Moto's execution start dates have a resolution of about a second, and runs are listed newest first by them. */
    private static final Duration START_DATE_RESOLUTION = Duration.ofMillis(1100);

    @TempDir
    Path data;

    private final MotoCauses causes = new MotoCauses();
    private final Set<String> startedRuns = new HashSet<>();
    private Instant lastNewStart = Instant.MIN;
    private SfnClient sfn;
    private SqsClient sqs;
    private LocalSteps steps;
    private StepFunctionsRunEngine engine;

    @BeforeEach
    void assemble() {
        sfn = MotoStepFunctions.sfn(causes);
        sqs = MotoStepFunctions.sqs();
        String queue = MotoStepFunctions.dispatchQueue(sqs);
        // State machines of their own: the contract names its jobs "ok", "twice"..., and moto is shared by the JVM.
        String prefix = "c" + UUID.randomUUID().toString().substring(0, 8) + "-";
        StateMachines machines = new StateMachines(sfn, StateMachineOptions.of(MotoStepFunctions.ROLE_ARN, queue)
                .withNamePrefix(prefix));
        TaskRecords records = MotoStepFunctions.taskRecords();
        steps = new LocalSteps(sqs, queue, new MotoAnswers(new TaskTokens(sfn), new StepWaits(sfn, machines)), records,
                causes, data);
        engine = new StepFunctionsRunEngine(sfn, machines, steps, steps::job, records, Clock.systemUTC());
    }

    @AfterEach
    void close() throws InterruptedException {
        steps.close();
        sqs.close();
        sfn.close();
    }

    @Override
    protected RunEngine engine() {
        return engine;
    }

    /** Registers the job first, and starts a new run a start date after the last one, so newest-first is known. */
    @Override
    protected RunEngine.Started start(String runId, JobSpec job, String trigger, Map<String, String> parameters) {
        steps.register(job);
        boolean isNew = startedRuns.add(runId);
        if (isNew) {
            Duration wait = Duration.between(Instant.now(), lastNewStart.plus(START_DATE_RESOLUTION));
            if (!wait.isNegative()) {
                try {
                    Thread.sleep(wait.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
        }
        RunEngine.Started started = engine.start(runId, job, trigger, parameters);
        if (isNew) {
            lastNewStart = Instant.now();
        }
        return started;
    }
}
