package dev.skiff.orchestrator.config;

import dev.skiff.orchestrator.adapter.sqs.SqsIntakeChannel;
import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.PropertiesConfigSource;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Turns the SQS intake's channel on exactly when {@code skiff.intake.sqs.queue-url} has a value, so one
 * key (or SKIFF_INTAKE_SQS_QUEUE_URL) is all it takes, and setting the URL while forgetting a second
 * switch cannot leave the intake silently off. Plain configuration cannot say "on when that key is set",
 * hence this config source (registered in META-INF/services). Its ordinal is below application.properties,
 * so an explicit {@code mp.messaging.incoming.skiff-intake.enabled} still wins.
 *
 * <p>While the intake is off, SmallRye warns at every start that the intake's consumer has no upstream.
 * That is expected then, and the embedded default's users (who see warnings) have nothing to do about
 * it, so the messaging provider's log is raised to ERROR in that case only.
 */
public class SqsIntakeSwitch implements ConfigSourceFactory {

    static final String QUEUE_URL = "skiff.intake.sqs.queue-url";
    static final String ENABLED = "mp.messaging.incoming." + SqsIntakeChannel.CHANNEL + ".enabled";
    static final String PROVIDER_LOG_LEVEL = "quarkus.log.category.\"io.smallrye.reactive.messaging.provider\".level";
    private static final int ORDINAL = 200;

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        ConfigValue url = context.getValue(QUEUE_URL);
        boolean on = url != null && url.getValue() != null && !url.getValue().isBlank();
        Map<String, String> values = on ? Map.of(ENABLED, "true") : Map.of(ENABLED, "false", PROVIDER_LOG_LEVEL, "ERROR");
        return List.of(new PropertiesConfigSource(values, "skiff-sqs-intake-switch", ORDINAL));
    }
}
