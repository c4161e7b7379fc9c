package dev.skiff.orchestrator.adapter.ecs;

import dev.skiff.jobs.Capacity;
import dev.skiff.jobs.JobSpec;
import dev.skiff.orchestrator.TestSpecs;
import dev.skiff.orchestrator.port.TaskRequest;
import dev.skiff.workflows.StepOutcome;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/** Specs, requests and a recording metrics listener for the Fargate launcher's tests. */
final class FargateFixtures {

    static final String STEP = "main";
    static final Duration POLL = Duration.ofMillis(100);

    private FargateFixtures() {
    }

    static JobSpec job(String name, Capacity capacity) {
        return TestSpecs.shell(name, "echo hello", "capacity: " + capacity.specName(),
                "environment: {WAREHOUSE: analytics}",
                "secrets: {DB_PASSWORD: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:skiff/test-team/db-AbCdEf'}",
                "tags: {cost-center: cc-1234}");
    }

    static TaskRequest request(JobSpec job, String runId, int attempt, Capacity capacity, Map<String, String> environment) {
        return new TaskRequest(runId, job, STEP, attempt, job.commandLine(), environment, Duration.ofMinutes(5), capacity);
    }

    /** Counts what the launcher reported. */
    static final class RecordingMetrics implements FargateMetrics {
        final List<String> launchedOn = new CopyOnWriteArrayList<>();
        final List<String> fallbacks = new CopyOnWriteArrayList<>();
        final List<String> adoptions = new CopyOnWriteArrayList<>();
        final List<StepOutcome> ended = new CopyOnWriteArrayList<>();
        volatile int throttles;

        @Override
        public void launched(String job, String ranOn, Duration latency) {
            launchedOn.add(ranOn);
        }

        @Override
        public void fellBack(String job, String reason) {
            fallbacks.add(reason);
        }

        @Override
        public synchronized void throttled() {
            throttles++;
        }

        @Override
        public void adopted(String job) {
            adoptions.add(job);
        }

        @Override
        public void ended(String job, String ranOn, StepOutcome outcome, double estimatedCostUsd) {
            ended.add(outcome);
        }
    }
}
