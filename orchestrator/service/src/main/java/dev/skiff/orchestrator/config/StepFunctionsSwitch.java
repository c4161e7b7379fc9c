package dev.skiff.orchestrator.config;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.PropertiesConfigSource;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Turns each engine's messaging channels on exactly when {@code skiff.engine} names that engine
 * ({@link ModeChoice.Engine}; only {@code stepfunctions} has any: dispatch and task events): the embedded default
 * reads no queue, and AWS mode cannot run with them off. An engine no build has turns nothing on; the start then
 * fails in {@link ModeStartCheck}. Like {@link SqsIntakeSwitch}, a config source (registered in META-INF/services)
 * below application.properties, so an explicit {@code mp.messaging.incoming.<channel>.enabled} still wins.
 */
public class StepFunctionsSwitch implements ConfigSourceFactory {

    private static final int ORDINAL = 200;

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        ConfigValue engine = context.getValue(ModeChoice.ENGINE_KEY);
        List<String> on = ModeChoice.channelsOf(engine == null ? null : engine.getValue());
        Map<String, String> values = new HashMap<>();
        for (String channel : ModeChoice.allChannels()) {
            values.put("mp.messaging.incoming." + channel + ".enabled", Boolean.toString(on.contains(channel)));
        }
        return List.of(new PropertiesConfigSource(values, "skiff-step-functions-switch", ORDINAL));
    }
}
