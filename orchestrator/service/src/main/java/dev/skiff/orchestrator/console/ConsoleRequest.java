package dev.skiff.orchestrator.console;

import jakarta.enterprise.context.RequestScoped;
import java.util.Optional;

/** The console session of the request being served, as {@link ConsoleAccessFilter} found or opened it. */
@RequestScoped
public class ConsoleRequest {

    private ConsoleSession session;
    private boolean opened;

    /** The session; empty on the sign-in page before signing in. */
    public Optional<ConsoleSession> session() {
        return Optional.ofNullable(session);
    }

    void found(ConsoleSession session) {
        this.session = session;
    }

    /** A session opened by this request: its cookie goes out with the answer. */
    void opened(ConsoleSession session) {
        this.session = session;
        this.opened = true;
    }

    boolean isNew() {
        return opened;
    }

    void ended() {
        this.session = null;
        this.opened = false;
    }
}
