package dev.skiff.orchestrator.console;

import dev.skiff.orchestrator.api.ProblemMapper;
import dev.skiff.orchestrator.app.TeamAuthorizer;
import dev.skiff.orchestrator.domain.SkiffException;
import io.quarkus.qute.TemplateInstance;
import jakarta.enterprise.context.RequestScoped;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Renders console pages, and every error as a page of its own: the status and wording are the API's
 * ({@link ProblemMapper} decides them for each kind of error), shown as HTML instead of problem+json, so hostile
 * input and unknown names get a clear 4xx page, never a stack trace or a 500.
 */
@RequestScoped
public class ConsolePages {

    static final String HTML = MediaType.TEXT_HTML + ";charset=UTF-8";

    private final ConsoleRequest console;
    private final TeamAuthorizer authorizer;

    public ConsolePages(ConsoleRequest console, TeamAuthorizer authorizer) {
        this.console = console;
        this.authorizer = authorizer;
    }

    /** The chrome of a page of {@code section}. */
    public Chrome chrome(String section) {
        return console.session()
                .map(s -> new Chrome(section, s.team(), s.csrf(), authorizer.required()))
                .orElse(new Chrome(section, "", "", false));
    }

    /** The page {@code page} builds with this section's chrome, or the error page of what it threw. */
    public Response render(String section, Function<Chrome, Object> page) {
        Chrome chrome = chrome(section);
        try {
            Object answer = page.apply(chrome);
            if (answer instanceof Response response) {
                return response;
            }
            return Response.ok(((TemplateInstance) answer).render(), HTML).build();
        } catch (SkiffException e) {
            Response problem = new ProblemMapper().toResponse(e);
            @SuppressWarnings("unchecked")
            var body = (Map<String, Object>) problem.getEntity();
            @SuppressWarnings("unchecked")
            var problems = (List<String>) body.getOrDefault("problems", List.of());
            return page(chrome, problem.getStatus(), String.valueOf(body.get("title")), e.getMessage(), problems);
        } catch (WebApplicationException e) {
            int status = e.getResponse().getStatus();
            return page(chrome, status, reason(status), e.getMessage(), List.of());
        }
    }

    /** An error page outside any resource (the access filter's refusals). */
    static Response error(Response.Status status, String title, String detail) {
        return page(Chrome.bare(), status.getStatusCode(), title, detail, List.of());
    }

    private static Response page(Chrome chrome, int status, String title, String detail, List<String> problems) {
        return Response.status(status).type(HTML)
                .entity(ConsoleTemplates.error(chrome, status, title, detail, problems).render()).build();
    }

    private static String reason(int status) {
        var known = Response.Status.fromStatusCode(status);
        return known == null ? "Error" : known.getReasonPhrase();
    }
}
