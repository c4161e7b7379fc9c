package dev.skiff.orchestrator.config;

import dev.skiff.orchestrator.adapter.sqs.SqsIntakeChannel;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Builds the SQS intake at start when its channel is on. SmallRye would build it only on the first
 * message, so a missing dead-letter queue would surface then, inside the stream, instead of stopping
 * the start with the key to fix. When the channel is off, nothing of the intake is built.
 */
@ApplicationScoped
class SqsIntakeRuntime {

    void start(@Observes StartupEvent event, @ConfigProperty(name = SqsIntakeSwitch.ENABLED) boolean on,
               Instance<SqsIntakeChannel> channel) {
        if (on) {
            channel.get().start();
        }
    }
}
