package dev.skiff.orchestrator.api;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.List;
import java.util.Map;

/**
 * The embedded service with the test jobs ticker (a line every 0.3 s) and quiet (one line, then a minute of
 * nothing), fast polls and keep-alives, and room for two followers, so the follow tests see lines arrive, a
 * keep-alive and the limit within seconds.
 */
public class LogFollowProfile implements QuarkusTestProfile {

    static final int MAX_FOLLOWERS = 2;

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("skiff.logs.poll-interval", "100ms",
                "skiff.logs.idle-poll-interval", "300ms",
                "skiff.logs.keep-alive", "1s",
                "skiff.logs.max-followers", String.valueOf(MAX_FOLLOWERS));
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(BadInputProfile.Directories.class,
                Map.of(BadInputProfile.Directories.COPY, "ticker.yaml,quiet.yaml")));
    }

    @Override
    public boolean disableGlobalTestResources() {
        return true;
    }
}
