package dev.skiff.orchestrator.config;

import dev.skiff.orchestrator.aws.StepFunctionsChannels;
import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.PropertiesConfigSource;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Turns the dispatch and task-events channels on exactly when {@code skiff.engine=stepfunctions}: the embedded
 * default reads no queue, and AWS mode cannot run with them off. Like {@link SqsIntakeSwitch}, a config source
 * (registered in META-INF/services) below application.properties, so an explicit
 * {@code mp.messaging.incoming.<channel>.enabled} still wins.
 */
public class StepFunctionsSwitch implements ConfigSourceFactory {

    private static final int ORDINAL = 200;

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        ConfigValue engine = context.getValue("skiff.engine");
        boolean on = engine != null && SkiffRuntime.STEP_FUNCTIONS.equals(engine.getValue());
        Map<String, String> values = new HashMap<>();
        for (String channel : List.of(StepFunctionsChannels.DISPATCH, StepFunctionsChannels.TASK_EVENTS)) {
            values.put("mp.messaging.incoming." + channel + ".enabled", Boolean.toString(on));
        }
        return List.of(new PropertiesConfigSource(values, "skiff-step-functions-switch", ORDINAL));
    }
}
