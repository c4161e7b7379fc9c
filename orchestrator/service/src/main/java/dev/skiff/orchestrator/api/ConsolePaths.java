package dev.skiff.orchestrator.api;

/**
 * Where the web console lives, for the API's own filters: the console authenticates its pages with a session cookie
 * and a CSRF token of its own, so the bearer-token check and the form-body rule of the API step aside there, and
 * nowhere else (the cookie never authenticates the JSON API).
 */
public final class ConsolePaths {

    /** The console's pages, forms and fragments are all under this path. */
    public static final String ROOT = "/console";

    /** Set on a request the console has authenticated; {@link BearerTokenFilter} then leaves it alone. */
    public static final String AUTHENTICATED = "skiff.console.authenticated";

    private ConsolePaths() {
    }

    /** @param path a request path, with or without its leading slash */
    public static boolean isConsole(String path) {
        if (path == null) {
            return false;
        }
        String p = path.startsWith("/") ? path : "/" + path;
        return p.equals(ROOT) || p.startsWith(ROOT + "/");
    }
}
