package dev.skiff.orchestrator.adapter.ecs;

import dev.skiff.workflows.StepOutcome;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;

/** {@link FargateMetrics} as Prometheus meters ({@code skiff_fargate_*}), tagged by job and capacity. */
public final class MicrometerFargateMetrics implements FargateMetrics {

    private final MeterRegistry registry;

    public MicrometerFargateMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void launched(String job, String ranOn, Duration latency) {
        registry.counter("skiff.fargate.launches", "job", job, "capacity", ranOn).increment();
        registry.timer("skiff.fargate.launch.latency", "capacity", ranOn).record(latency);
    }

    @Override
    public void fellBack(String job, String reason) {
        registry.counter("skiff.fargate.fallbacks", "job", job).increment();
    }

    @Override
    public void throttled() {
        registry.counter("skiff.fargate.throttles").increment();
    }

    @Override
    public void adopted(String job) {
        registry.counter("skiff.fargate.adoptions", "job", job).increment();
    }

    @Override
    public void ended(String job, String ranOn, StepOutcome outcome, double estimatedCostUsd) {
        if (outcome instanceof StepOutcome.SpotInterrupted) {
            registry.counter("skiff.fargate.interruptions", "job", job).increment();
        }
        registry.counter("skiff.fargate.estimated.cost.usd", "job", job, "capacity", ranOn).increment(estimatedCostUsd);
    }
}
