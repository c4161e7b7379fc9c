package dev.skiff.orchestrator.config;

import dev.skiff.orchestrator.api.LoopbackNames;
import dev.skiff.orchestrator.domain.SkiffException;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Refuses to start an API without authentication on an address other machines reach: anyone who reaches the port
 * could define a job and run any command as this user. Checked before anything else starts (runs, cron, intake).
 */
@Singleton
class UnauthenticatedRemoteCheck {

    private static final Logger LOG = Logger.getLogger(UnauthenticatedRemoteCheck.class);

    void check(@Observes @Priority(1) StartupEvent event, AuthConfig auth,
               @ConfigProperty(name = "quarkus.http.host") String host) {
        problem(auth.mode(), host, auth.allowUnauthenticatedRemote()).ifPresent(message -> {
            // One line to read before Quarkus prints the failed start with its stack trace.
            LOG.error("Refusing to start: " + message);
            throw new SkiffException(message);
        });
    }

    /** What is wrong with serving {@code mode} on {@code host}, if anything. */
    static Optional<String> problem(String mode, String host, boolean allowed) {
        if (!AuthConfig.NONE.equals(mode) || allowed || LoopbackNames.isLoopbackAddress(host)) {
            return Optional.empty();
        }
        return Optional.of("quarkus.http.host=" + host + " with skiff.auth.mode=none would let anyone who reaches"
                + " this address define and run commands as this user. Serve this machine only"
                + " (quarkus.http.host=127.0.0.1, the default), require API keys (skiff.auth.mode=api-keys), or,"
                + " only where the network itself decides who may connect, set"
                + " skiff.auth.allow-unauthenticated-remote=true");
    }
}
