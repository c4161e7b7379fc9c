package dev.skiff.orchestrator.config;

import dev.skiff.orchestrator.domain.SkiffException;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Refuses to start a mode its configuration cannot run: an unknown engine or launcher, a pair that cannot run
 * together, or the chosen mode's own keys missing or wrong. One message names every problem, each with its key, its
 * value and the rule, before anything is built from them (no AWS client, no run resumed, no queue read).
 */
@Singleton
class ModeStartCheck {

    private static final Logger LOG = Logger.getLogger(ModeStartCheck.class);

    // Right after the authentication check (1), before the messaging connectors start reading queues.
    void check(@Observes @Priority(2) StartupEvent event, Instance<SkiffMode> mode) {
        problem(mode).ifPresent(message -> {
            // One line to read before Quarkus prints the failed start with its stack trace.
            LOG.error("Refusing to start: " + message);
            throw new SkiffException(message);
        });
    }

    /** Every problem of the chosen mode's configuration in one message, if there is any. */
    static Optional<String> problem(Instance<SkiffMode> mode) {
        List<String> problems;
        try {
            problems = mode.get().configProblems();
        } catch (RuntimeException e) {
            problems = List.of(refusal(e).getMessage());
        }
        return message(problems);
    }

    static Optional<String> message(List<String> problems) {
        return problems.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", problems));
    }

    /** The refusal behind a failed choice; the container may wrap what the producer threw. */
    private static RuntimeException refusal(RuntimeException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SkiffException refused) {
                return refused;
            }
        }
        throw e;
    }
}
