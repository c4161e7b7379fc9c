package dev.skiff.orchestrator.console;

import dev.skiff.orchestrator.app.Caller;
import dev.skiff.orchestrator.config.ConsoleConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The console's sessions, in memory: a restart signs everyone out, which is the safe way to lose them. Ids and CSRF
 * tokens are 32 random bytes each. A session ends after {@link ConsoleConfig#sessionIdleTimeout()} without use, on
 * sign-out, or when the store is full and it is the least recently used.
 */
@ApplicationScoped
public class ConsoleSessions {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Map<String, ConsoleSession> sessions = new ConcurrentHashMap<>();
    private final Clock clock;
    private final Duration idleTimeout;
    private final int max;

    @Inject
    public ConsoleSessions(Clock clock, ConsoleConfig config) {
        this(clock, config.sessionIdleTimeout(), config.maxSessions());
    }

    ConsoleSessions(Clock clock, Duration idleTimeout, int max) {
        this.clock = clock;
        this.idleTimeout = idleTimeout;
        this.max = max;
    }

    /** A new session for {@code caller}. */
    public ConsoleSession open(Caller caller) {
        Instant now = clock.instant();
        if (sessions.size() >= max) {
            sessions.values().removeIf(s -> idle(s, now));
            while (sessions.size() >= max) {
                sessions.values().stream().min(Comparator.comparing(ConsoleSession::lastUsed))
                        .ifPresent(oldest -> sessions.remove(oldest.id()));
            }
        }
        var session = new ConsoleSession(random(), caller, random(), now);
        sessions.put(session.id(), session);
        return session;
    }

    /** The live session with this id, marked as used now; empty for an unknown, ended or idle one. */
    public Optional<ConsoleSession> use(String id) {
        if (id == null || id.isBlank()) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        ConsoleSession found = sessions.get(id);
        if (found == null) {
            return Optional.empty();
        }
        if (idle(found, now)) {
            sessions.remove(id, found);
            return Optional.empty();
        }
        ConsoleSession used = found.usedAt(now);
        sessions.replace(id, found, used);
        return Optional.of(used);
    }

    /** Ends a session (sign-out). */
    public void close(String id) {
        if (id != null) {
            sessions.remove(id);
        }
    }

    /** Whether {@code token} is the session's CSRF token, compared in constant time. */
    public static boolean csrfMatches(ConsoleSession session, String token) {
        return token != null && MessageDigest.isEqual(session.csrf().getBytes(StandardCharsets.UTF_8),
                token.getBytes(StandardCharsets.UTF_8));
    }

    private boolean idle(ConsoleSession session, Instant now) {
        return !session.lastUsed().plus(idleTimeout).isAfter(now);
    }

    private static String random() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
