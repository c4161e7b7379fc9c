package dev.skiff.orchestrator.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.skiff.orchestrator.app.Caller;
import dev.skiff.orchestrator.config.SkiffConfig;
import dev.skiff.orchestrator.domain.SkiffException;
import dev.skiff.orchestrator.domain.TooManyRequestsException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The limits on followers, and the keys that set them, without a running service. */
class LogFollowersTest {

    private final Map<String, Object> keys = new HashMap<>(Map.of("pollInterval", Duration.ofSeconds(1),
            "idlePollInterval", Duration.ofSeconds(5), "keepAlive", Duration.ofSeconds(15), "readRetries", 3,
            "maxFollowers", 3, "maxFollowersPerTeam", 2, "threads", 1));
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @Test
    void eachTeamHasItsOwnLimitUnderTheLimitForAll() {
        LogFollowers followers = followers();
        LogFollowers.Lease first = followers.admit(Caller.team("analytics"));
        followers.admit(Caller.team("analytics"));

        assertThatThrownBy(() -> followers.admit(Caller.team("analytics"))).isInstanceOf(TooManyRequestsException.class)
                .hasMessage("team analytics follows 2 logs already, the most one team may"
                        + " (skiff.logs.max-followers-per-team); try again later");
        followers.admit(Caller.team("billing"));
        assertThatThrownBy(() -> followers.admit(Caller.team("billing"))).isInstanceOf(TooManyRequestsException.class)
                .hasMessageContaining("3 logs are followed already").hasMessageContaining("skiff.logs.max-followers)");
        assertThat(registry.get("skiff.log.followers").gauge().value()).isEqualTo(3.0);

        first.release();
        first.release(); // once only
        assertThat(followers.active()).isEqualTo(2);
        followers.admit(Caller.team("billing"));
        assertThat(followers.active()).isEqualTo(3);
    }

    @Test
    void aRefusedFollowerIsToldWhenToAskAgain() {
        keys.put("maxFollowers", 0);

        assertThatThrownBy(() -> followers().admit(Caller.ANYONE)).isInstanceOfSatisfying(TooManyRequestsException.class,
                e -> assertThat(e.retryAfter()).isPositive());
    }

    @Test
    void keysThatCannotWorkAreRefusedNamingTheKey() {
        assertRefused("pollInterval", Duration.ZERO, "skiff.logs.poll-interval: PT0S is not a positive duration");
        assertRefused("keepAlive", Duration.ofSeconds(-1), "skiff.logs.keep-alive: PT-1S is not a positive duration");
        assertRefused("idlePollInterval", Duration.ofMillis(500),
                "skiff.logs.idle-poll-interval: PT0.5S is shorter than skiff.logs.poll-interval (PT1S); it must not be");
        assertRefused("maxFollowers", -1, "skiff.logs.max-followers: -1 is not a whole number of at least 0");
        assertRefused("threads", 0, "skiff.logs.threads: 0 is not a whole number of at least 1");
    }

    private void assertRefused(String key, Object value, String message) {
        Object before = keys.put(key, value);
        assertThatThrownBy(this::followers).isInstanceOf(SkiffException.class).hasMessage(message);
        keys.put(key, before);
    }

    private LogFollowers followers() {
        SkiffConfig.Logs logs = (SkiffConfig.Logs) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {SkiffConfig.Logs.class}, (proxy, method, args) -> keys.get(method.getName()));
        SkiffConfig config = (SkiffConfig) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {SkiffConfig.class}, (proxy, method, args) -> method.getName().equals("logs") ? logs : null);
        return new LogFollowers(config, registry, new ObjectMapper());
    }
}
