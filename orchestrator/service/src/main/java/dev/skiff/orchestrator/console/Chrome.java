package dev.skiff.orchestrator.console;

/**
 * What every console page shows around its content: the navigation (with the current section marked), the team
 * signed in, the sign-out button and the CSRF token its forms carry.
 *
 * @param section  jobs, runs, cost, or empty for pages outside the navigation
 * @param team     the team signed in; empty without API keys
 * @param csrf     the session's CSRF token; empty without a session (the sign-in page)
 * @param signedIn whether to offer sign-out (API keys, with a session)
 */
@io.quarkus.qute.TemplateData
public record Chrome(String section, String team, String csrf, boolean signedIn) {

    public static final String HTMX = "/webjars/htmx.org/dist/htmx.min.js";

    static Chrome bare() {
        return new Chrome("", "", "", false);
    }

    public String htmx() {
        return HTMX;
    }

    /** {@code aria-current="page"} on the navigation link of this page's section. */
    public boolean current(String name) {
        return section.equals(name);
    }
}
