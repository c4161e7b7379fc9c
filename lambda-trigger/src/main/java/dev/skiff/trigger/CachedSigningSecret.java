package dev.skiff.trigger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Keeps the secret for a while: a warm function calls Secrets Manager or SSM once per {@code ttl},
 * not once per request, and still picks up a rotated secret within {@code ttl}.
 */
public final class CachedSigningSecret implements SigningSecret {

    private final SigningSecret source;
    private final Duration ttl;
    private final Clock clock;
    private String value;
    private Instant readAt;

    public CachedSigningSecret(SigningSecret source, Duration ttl, Clock clock) {
        if (ttl.isNegative()) {
            throw new IllegalArgumentException("the secret cache TTL must not be negative, got " + ttl);
        }
        this.source = source;
        this.ttl = ttl;
        this.clock = clock;
    }

    @Override
    public synchronized String value() {
        Instant now = clock.instant();
        if (value == null || !now.isBefore(readAt.plus(ttl))) {
            value = source.value();
            readAt = now;
        }
        return value;
    }
}
