package dev.skiff.orchestrator.aws;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/**
 * How long Step Functions mode takes to settle its messages, from the moment a message is in hand to the moment
 * its effect is durable: a launch request until its task exists (or its token is answered), a task event until its
 * token is answered. Prometheus meters {@code skiff_sfn_dispatch_seconds} and {@code skiff_sfn_task_events_seconds},
 * with their median and 99th percentile, tagged by outcome.
 */
public interface StepMetrics {

    StepMetrics NONE = new StepMetrics() {
        @Override
        public void launchSettled(String outcome, Duration took) {
        }

        @Override
        public void taskEventSettled(String outcome, Duration took) {
        }
    };

    void launchSettled(String outcome, Duration took);

    void taskEventSettled(String outcome, Duration took);

    static StepMetrics micrometer(MeterRegistry registry) {
        return new StepMetrics() {
            @Override
            public void launchSettled(String outcome, Duration took) {
                timer(registry, "skiff.sfn.dispatch", outcome).record(took);
            }

            @Override
            public void taskEventSettled(String outcome, Duration took) {
                timer(registry, "skiff.sfn.task.events", outcome).record(took);
            }
        };
    }

    private static Timer timer(MeterRegistry registry, String name, String outcome) {
        return Timer.builder(name).tag("outcome", outcome).publishPercentiles(0.5, 0.99).register(registry);
    }
}
