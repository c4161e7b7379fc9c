package dev.skiff.orchestrator.api;

import dev.skiff.orchestrator.app.Caller;
import jakarta.enterprise.context.RequestScoped;

/** The caller of the request being served, as {@link BearerTokenFilter} found it. */
@RequestScoped
public class CurrentCaller {

    private Caller caller = Caller.ANYONE;

    public Caller get() {
        return caller;
    }

    /** Set once per request by the filter that authenticated it (the API's bearer token, or the console's session). */
    public void set(Caller caller) {
        this.caller = caller;
    }
}
