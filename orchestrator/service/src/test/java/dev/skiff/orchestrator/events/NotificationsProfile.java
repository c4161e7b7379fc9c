package dev.skiff.orchestrator.events;

import java.util.Map;

/** The run-event service with a webhook secret and short retry delays, so a failing receiver is given up on quickly. */
public class NotificationsProfile extends RunEventsProfile {

    static final String SECRET = "notify-test-secret";

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("skiff.notify.webhook-secret", SECRET,
                "skiff.notify.retry-delays", "100ms,200ms",
                "skiff.notify.attempt-timeout", "2s");
    }
}
