package dev.skiff.orchestrator.console;

import dev.skiff.orchestrator.app.Caller;
import java.time.Instant;

/**
 * A signed-in browser: who it speaks for and the CSRF token its forms carry. The API key it signed in with is not
 * kept: the caller it named is enough.
 *
 * @param id       the random value of the session cookie
 * @param csrf     a second random value, sent in every form and never in a cookie, so a page of another site that
 *                 makes the browser post here cannot know it
 * @param lastUsed when a request last came with this session, for the idle timeout
 */
public record ConsoleSession(String id, Caller caller, String csrf, Instant lastUsed) {

    ConsoleSession usedAt(Instant now) {
        return new ConsoleSession(id, caller, csrf, now);
    }

    /** The team shown in the header, or empty when every caller may do everything. */
    public String team() {
        return caller.team().orElse("");
    }
}
