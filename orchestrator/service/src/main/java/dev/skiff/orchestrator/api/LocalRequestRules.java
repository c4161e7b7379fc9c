package dev.skiff.orchestrator.api;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Which requests the API answers when it has no authentication ({@code skiff.auth.mode=none}, the embedded
 * default). Anyone who can make the developer's browser send a request could otherwise define a job and run it
 * as the developer's user:
 * <ul>
 * <li>DNS rebinding: a page on {@code attacker.example} re-resolves its own name to 127.0.0.1 and then talks to the
 * API as its own origin. The browser still sends {@code Host: attacker.example}, so only loopback names pass.</li>
 * <li>Cross-site requests: a page of another origin sends a form or a no-cors fetch to 127.0.0.1 (the browser
 * sends it without asking the server first and only hides the answer). Every browser names the page in
 * {@code Origin} (and {@code Sec-Fetch-Site}) on such a request, so a state-changing request from another origin
 * is refused.</li>
 * <li>Bodies a page can send without asking (text/plain, form encodings) are refused on state-changing requests
 * whatever the headers say: the API reads JSON and YAML only, so no client of it needs them, and an old browser
 * that sends no Origin still cannot post a job, an event or run parameters. An empty body passes, since clients
 * label bare POSTs as forms; for those the Origin check is the protection.</li>
 * </ul>
 * Reads (GET, HEAD, OPTIONS) from another origin pass the Origin check: they change nothing, and the browser does
 * not let the page see the answer (no CORS header is ever sent).
 *
 * <p>The web console ({@link ConsolePaths}) posts forms: there form bodies pass the last rule, because each console
 * form must carry the CSRF token of the browser's console session, which a page of another site cannot read.
 */
final class LocalRequestRules {

    /** Why a request was refused, as the problem to answer with. */
    record Refusal(int status, String title, String detail) {
    }

    private static final Set<String> READS = Set.of("GET", "HEAD", "OPTIONS");
    private static final Set<String> FORM_TYPES = Set.of("text/plain", "application/x-www-form-urlencoded",
            "multipart/form-data");
    private static final String MODE = "skiff.auth.mode=none";

    private final boolean hostChecked;

    /** @param hostChecked false when {@code skiff.auth.allow-unauthenticated-remote} lets other hosts call */
    LocalRequestRules(boolean hostChecked) {
        this.hostChecked = hostChecked;
    }

    /**
     * @param path    the request path
     * @param hasBody whether the request carries a body (a non-zero Content-Length, or chunked)
     */
    Optional<Refusal> check(String method, String path, String host, String origin, String fetchSite,
                            String contentType, boolean hasBody) {
        if (hostChecked && !LoopbackNames.isLoopbackHost(host)) {
            return refuse("Host: " + (host == null ? "(none)" : host) + ": with " + MODE
                    + " the API answers only requests addressed to " + LoopbackNames.LISTED
                    + " (with or without the port), so that a web page cannot reach it through a name rebound to"
                    + " this machine; call http://127.0.0.1:<port>, or turn on API keys (skiff.auth.mode=api-keys)");
        }
        if (READS.contains(method.toUpperCase(Locale.ROOT))) {
            return Optional.empty();
        }
        if (origin != null && !LoopbackNames.isLoopbackOrigin(origin)) {
            return refuse("Origin: " + origin + ": with " + MODE + " a " + method
                    + " is accepted only from this machine's own pages (http://" + LoopbackNames.LISTED
                    + " with any port) or from clients that send no Origin, such as curl and skiff apply");
        }
        if ("cross-site".equalsIgnoreCase(fetchSite == null ? "" : fetchSite.trim())) {
            return refuse("Sec-Fetch-Site: cross-site: with " + MODE + " a " + method
                    + " sent by a page of another site is refused");
        }
        // An empty body passes: HTTP clients (RestAssured, say) label a bare POST as a form.
        if (hasBody && contentType != null && FORM_TYPES.contains(mediaType(contentType)) && !ConsolePaths.isConsole(path)) {
            return Optional.of(new Refusal(415, "Unsupported Media Type", "Content-Type: " + contentType
                    + ": with " + MODE + " a " + method + " may not carry a body any web page can send across sites"
                    + " (text/plain, application/x-www-form-urlencoded, multipart/form-data); send application/json,"
                    + " or application/yaml for a job spec"));
        }
        return Optional.empty();
    }

    private static Optional<Refusal> refuse(String detail) {
        return Optional.of(new Refusal(403, "Forbidden", detail));
    }

    private static String mediaType(String contentType) {
        int semicolon = contentType.indexOf(';');
        return (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
    }
}
