package dev.skiff.orchestrator.adapter.ecs;

import dev.skiff.workflows.StepOutcome;
import java.time.Duration;

/** Hears what the Fargate launcher does, for metrics and logs. Every method has a no-op default; calls come on launcher threads. */
public interface FargateMetrics {

    FargateMetrics NONE = new FargateMetrics() {
    };

    /** A task exists; {@code ranOn} is "spot" or "on-demand", latency from the launch call to the task. */
    default void launched(String job, String ranOn, Duration latency) {
    }

    /** Spot had no capacity and a spot-first launch went on-demand at once. */
    default void fellBack(String job, String reason) {
    }

    /** RunTask answered ThrottlingException; the launch rate was halved. */
    default void throttled() {
    }

    /** A RunTask whose outcome was unknown had started a task, which the launcher took over. */
    default void adopted(String job) {
    }

    /** A task's end was reported (once, polled or told by an event); {@code estimatedCostUsd} from {@link FargatePrices}. */
    default void ended(String job, String ranOn, StepOutcome outcome, double estimatedCostUsd) {
    }
}
