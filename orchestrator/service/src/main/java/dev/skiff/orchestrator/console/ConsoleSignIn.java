package dev.skiff.orchestrator.console;

import dev.skiff.orchestrator.api.ConsolePaths;
import dev.skiff.orchestrator.app.TeamAuthorizer;
import dev.skiff.orchestrator.domain.UnauthorizedException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * Sign-in with an API key, and sign-out. The key is posted in a form (never in a URL), checked as a bearer token
 * would be, and dropped: the session keeps the team it names. A wrong key is answered without repeating it.
 */
@Path(ConsolePaths.ROOT)
public class ConsoleSignIn {

    static final int MAX_KEY = 1024;

    private final TeamAuthorizer authorizer;
    private final ConsoleSessions sessions;
    private final ConsoleRequest console;
    private final ConsolePages pages;
    private final ConsoleForms forms;

    public ConsoleSignIn(TeamAuthorizer authorizer, ConsoleSessions sessions, ConsoleRequest console,
                         ConsolePages pages, ConsoleForms forms) {
        this.authorizer = authorizer;
        this.sessions = sessions;
        this.console = console;
        this.pages = pages;
        this.forms = forms;
    }

    /** The console's own address opens its jobs page. */
    @GET
    public Response home() {
        return Response.seeOther(URI.create(ConsolePaths.ROOT + "/jobs")).build();
    }

    @GET
    @Path("/sign-in")
    public Response form() {
        if (!authorizer.required() || console.session().isPresent()) {
            return Response.seeOther(URI.create(ConsolePaths.ROOT + "/jobs")).build();
        }
        return pages.render("", chrome -> ConsoleTemplates.signIn(chrome, ""));
    }

    @POST
    @Path("/sign-in")
    @Consumes("*/*")
    public Response signIn(String body) {
        if (!authorizer.required()) {
            return Response.seeOther(URI.create(ConsolePaths.ROOT + "/jobs")).build();
        }
        String key = keyOf(body == null ? "" : body);
        try {
            if (key.isEmpty() || key.length() > MAX_KEY) {
                throw new UnauthorizedException("enter an API key");
            }
            var caller = authorizer.authenticate("Bearer " + key);
            console.session().ifPresent(old -> sessions.close(old.id()));
            console.opened(sessions.open(caller));
            return Response.seeOther(URI.create(ConsolePaths.ROOT + "/jobs")).build();
        } catch (UnauthorizedException e) {
            console.ended();
            String html = ConsoleTemplates.signIn(pages.chrome(""), "That is not a known API key.").render();
            return Response.status(Response.Status.UNAUTHORIZED).type(ConsolePages.HTML).entity(html).build();
        }
    }

    @POST
    @Path("/sign-out")
    @Consumes("*/*")
    public Response signOut(String body, @Context ContainerRequestContext request) {
        return pages.render("", chrome -> {
            forms.read(body);
            console.session().ifPresent(s -> sessions.close(s.id()));
            console.ended();
            String next = authorizer.required() ? ConsoleAccessFilter.SIGN_IN : ConsolePaths.ROOT + "/jobs";
            return Response.seeOther(URI.create(next))
                    .header(HttpHeaders.SET_COOKIE, ConsoleAccessFilter.cookie(request, "", true)).build();
        });
    }

    /** The {@code key} field of the sign-in form; nothing else of it is read. */
    private static String keyOf(String body) {
        for (String pair : body.split("&", 20)) {
            if (pair.startsWith("key=")) {
                try {
                    return URLDecoder.decode(pair.substring(4), StandardCharsets.UTF_8).trim();
                } catch (IllegalArgumentException e) {
                    return "";
                }
            }
        }
        return "";
    }
}
