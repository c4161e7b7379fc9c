package dev.skiff.orchestrator.console;

import dev.skiff.orchestrator.api.ConsolePaths;
import dev.skiff.orchestrator.api.CurrentCaller;
import dev.skiff.orchestrator.app.Caller;
import dev.skiff.orchestrator.app.TeamAuthorizer;
import jakarta.annotation.Priority;
import jakarta.enterprise.inject.Instance;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.core.Cookie;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;
import java.net.URI;
import java.util.Locale;
import java.util.Set;

/**
 * Authenticates the console's pages by their session cookie, and only them: under {@link ConsolePaths#ROOT} the
 * caller is the session's, elsewhere the API's bearer token rules alone (so the cookie opens no CSRF hole in the
 * JSON API). With API keys a request without a live session is sent to the sign-in page; without authentication
 * the console opens a session on the first page, to hold the CSRF token its forms carry.
 *
 * <p>Every state-changing request must also come from the console's own origin: a present {@code Origin} must name
 * the host the request was sent to, and {@code Sec-Fetch-Site: cross-site} is refused. The CSRF token itself is
 * checked where the form is read ({@link ConsoleForms}).
 */
@Provider
@Priority(Priorities.AUTHENTICATION - 100)
public class ConsoleAccessFilter implements ContainerRequestFilter, ContainerResponseFilter {

    static final String COOKIE = "skiff_console";
    static final String SIGN_IN = ConsolePaths.ROOT + "/sign-in";
    private static final Set<String> READS = Set.of("GET", "HEAD", "OPTIONS");
    private static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
            + " connect-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'; object-src 'none'";

    // Looked up per request: filters are built while the application starts, before configuration mappings exist.
    private final Instance<TeamAuthorizer> authorizer;
    private final Instance<ConsoleSessions> sessions;
    private final CurrentCaller caller;
    private final ConsoleRequest console;

    public ConsoleAccessFilter(Instance<TeamAuthorizer> authorizer, Instance<ConsoleSessions> sessions,
                               CurrentCaller caller, ConsoleRequest console) {
        this.authorizer = authorizer;
        this.sessions = sessions;
        this.caller = caller;
        this.console = console;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        if (!ConsolePaths.isConsole(path)) {
            return;
        }
        request.setProperty(ConsolePaths.AUTHENTICATED, Boolean.TRUE);
        boolean read = READS.contains(request.getMethod().toUpperCase(Locale.ROOT));
        if (!read && !sameOrigin(request)) {
            request.abortWith(ConsolePages.error(Response.Status.FORBIDDEN, "Refused", "this form was sent by a page"
                    + " of another site; the console accepts forms from its own pages only"));
            return;
        }
        Cookie cookie = request.getCookies().get(COOKIE);
        var session = sessions.get().use(cookie == null ? null : cookie.getValue());
        if (session.isPresent()) {
            console.found(session.get());
            caller.set(session.get().caller());
            return;
        }
        boolean signIn = path.equals(SIGN_IN) || path.equals(SIGN_IN.substring(1));
        if (!authorizer.get().required()) {
            if (read) {
                var opened = sessions.get().open(Caller.ANYONE);
                console.opened(opened);
                caller.set(opened.caller());
            } else {
                request.abortWith(ConsolePages.error(Response.Status.FORBIDDEN, "Session ended",
                        "this console session has ended, so the form's CSRF token is no longer valid; reload the page"
                                + " and send it again"));
            }
            return;
        }
        if (signIn) {
            return;
        }
        request.abortWith(toSignIn(request, read));
    }

    /** A page goes to the sign-in page; an htmx fragment tells htmx to go there; a form is refused. */
    private static Response toSignIn(ContainerRequestContext request, boolean read) {
        if (request.getHeaderString("HX-Request") != null) {
            return Response.status(Response.Status.UNAUTHORIZED).header("HX-Redirect", SIGN_IN).build();
        }
        if (read) {
            return Response.seeOther(URI.create(SIGN_IN)).build();
        }
        return ConsolePages.error(Response.Status.UNAUTHORIZED, "Signed out",
                "your console session has ended; sign in again, then send the form again");
    }

    /** No Origin (old browsers, curl) passes: the CSRF token still guards the form. */
    private static boolean sameOrigin(ContainerRequestContext request) {
        String fetchSite = request.getHeaderString("Sec-Fetch-Site");
        if (fetchSite != null && fetchSite.trim().equalsIgnoreCase("cross-site")) {
            return false;
        }
        String origin = request.getHeaderString("Origin");
        if (origin == null) {
            return true;
        }
        String host = request.getHeaderString(HttpHeaders.HOST);
        try {
            URI o = URI.create(origin.trim());
            String authority = o.getRawAuthority();
            return host != null && authority != null && authority.equalsIgnoreCase(host.trim());
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        if (!ConsolePaths.isConsole(request.getUriInfo().getPath())) {
            return;
        }
        var headers = response.getHeaders();
        headers.putSingle("Content-Security-Policy", CSP);
        headers.putSingle("X-Frame-Options", "DENY");
        headers.putSingle("X-Content-Type-Options", "nosniff");
        headers.putSingle("Referrer-Policy", "same-origin");
        headers.putSingle(HttpHeaders.CACHE_CONTROL, "no-store");
        if (console.isNew()) {
            headers.add(HttpHeaders.SET_COOKIE, cookie(request, console.session().orElseThrow().id(), false));
        }
    }

    /**
     * The session cookie: HttpOnly (no script reads it), SameSite=Strict (no other site's page sends it), Secure over
     * https, for the whole site (the API ignores it), and without Max-Age, so it ends with the browser session.
     */
    static NewCookie cookie(ContainerRequestContext request, String value, boolean expire) {
        var builder = new NewCookie.Builder(COOKIE).value(value).path("/").httpOnly(true)
                .sameSite(NewCookie.SameSite.STRICT)
                .secure("https".equalsIgnoreCase(request.getUriInfo().getRequestUri().getScheme()));
        if (expire) {
            builder.maxAge(0);
        }
        return builder.build();
    }
}
