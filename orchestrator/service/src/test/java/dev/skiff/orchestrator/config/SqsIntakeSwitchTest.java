package dev.skiff.orchestrator.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigValue;
import java.util.Collections;
import java.util.Iterator;
import java.util.Map;
import org.eclipse.microprofile.config.spi.ConfigSource;
import org.junit.jupiter.api.Test;

class SqsIntakeSwitchTest {

    private static ConfigSourceContext configWith(Map<String, String> values) {
        return new ConfigSourceContext() {
            @Override
            public ConfigValue getValue(String name) {
                return ConfigValue.builder().withName(name).withValue(values.get(name)).build();
            }

            @Override
            public Iterator<String> iterateNames() {
                return values.keySet().iterator();
            }
        };
    }

    private static Map<String, String> switched(Map<String, String> config) {
        ConfigSource source = new SqsIntakeSwitch().getConfigSources(configWith(config)).iterator().next();
        return source.getProperties();
    }

    @Test
    void shouldKeepTheChannelOffAndQuietWhenNoQueueUrlIsSet() {
        // Given the embedded default's configuration / When / Then
        assertThat(switched(Collections.emptyMap()))
                .containsEntry(SqsIntakeSwitch.ENABLED, "false")
                .containsEntry(SqsIntakeSwitch.PROVIDER_LOG_LEVEL, "ERROR");
        assertThat(switched(Map.of(SqsIntakeSwitch.QUEUE_URL, " "))).containsEntry(SqsIntakeSwitch.ENABLED, "false");
    }

    @Test
    void shouldTurnTheChannelOnWhenTheQueueUrlIsSet() {
        // Given / When
        var values = switched(Map.of(SqsIntakeSwitch.QUEUE_URL, "https://sqs.eu-central-1.amazonaws.com/123456789012/intake"));

        // Then
        assertThat(values).containsExactly(Map.entry(SqsIntakeSwitch.ENABLED, "true"));
    }
}
