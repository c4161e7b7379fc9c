package dev.skiff.orchestrator.adapter.metrics;

import dev.skiff.orchestrator.port.RunListener;
import dev.skiff.workflows.Attempt;
import dev.skiff.workflows.Run;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/**
 * Run metrics for {@code /q/metrics}: runs started and finished by job and outcome, attempts by
 * where they ran, and the time from trigger to task start.
 */
public final class MicrometerRunListener implements RunListener {

    private final MeterRegistry registry;

    public MicrometerRunListener(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void runCreated(Run run) {
        registry.counter("skiff.runs.created", "job", run.job(), "trigger", run.trigger()).increment();
    }

    @Override
    public void attemptLaunched(Run run, Attempt attempt) {
        registry.counter("skiff.attempts.launched", "job", run.job(), "ran_on", attempt.ranOn()).increment();
        if (attempt.number() == 1 && run.attempts().size() == 1) {
            Timer.builder("skiff.runs.start.latency")
                    .description("time from a run's trigger to its first task start")
                    .publishPercentiles(0.5, 0.99)
                    .register(registry)
                    .record(Duration.between(run.createdAt(), attempt.startedAt()));
        }
    }

    @Override
    public void runFinished(Run run) {
        registry.counter("skiff.runs.finished", "job", run.job(), "status", run.status().name()).increment();
    }
}
