package dev.skiff.orchestrator.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Everything under {@code skiff.notify.}: how jobs' notifications are sent. */
@ConfigMapping(prefix = "skiff.notify")
public interface NotifyConfig {

    /**
     * Signs each webhook notification (HMAC-SHA256 of timestamp and body, headers x-skiff-timestamp and
     * x-skiff-signature); when absent, webhooks go unsigned.
     */
    Optional<String> webhookSecret();

    /**
     * True lets webhooks reach loopback, private, link-local and unique-local addresses, and plain http://. Default:
     * true with the embedded engine (a laptop's receiver is on loopback), false with Step Functions (the orchestrator
     * sends from inside the VPC).
     */
    Optional<Boolean> allowPrivateAddresses();

    /** The waits before the second, third, ... attempt; one attempt more than delays. */
    @WithDefault("1s,4s")
    List<Duration> retryDelays();

    /** The longest one attempt may take (connecting, sending and the answer). */
    @WithDefault("10s")
    Duration attemptTimeout();

    /** Deliveries under way at once, across all events: a slow receiver holds one of them, not the others. */
    @WithDefault("8")
    int concurrency();
}
