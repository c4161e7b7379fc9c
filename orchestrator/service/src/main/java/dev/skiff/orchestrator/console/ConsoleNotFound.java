package dev.skiff.orchestrator.console;

import dev.skiff.orchestrator.api.ConsolePaths;
import dev.skiff.orchestrator.api.WebErrorMapper;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * An address under the console that no page answers gets a 404 page; everywhere else the API's problem+json
 * ({@link WebErrorMapper}) as before.
 */
public class ConsoleNotFound {

    @ServerExceptionMapper
    public Response notFound(NotFoundException e, UriInfo uri) {
        if (!ConsolePaths.isConsole(uri.getPath())) {
            return new WebErrorMapper().toResponse(e);
        }
        return ConsolePages.error(Response.Status.NOT_FOUND, "Not Found",
                "the console has no page " + uri.getPath() + "; its pages are Jobs, Runs and Cost");
    }
}
