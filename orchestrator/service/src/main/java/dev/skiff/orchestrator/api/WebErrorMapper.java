package dev.skiff.orchestrator.api;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.util.List;

/**
 * The framework's own errors (unreadable JSON body, unknown path, wrong method) in the same
 * problem+json shape as Skiff's, without the framework's internal wording.
 */
@Provider
public class WebErrorMapper implements ExceptionMapper<WebApplicationException> {

    @Override
    public Response toResponse(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        String title = Response.Status.fromStatusCode(status) == null
                ? "Error" : Response.Status.fromStatusCode(status).getReasonPhrase();
        String detail = status == 400 ? "the request body is not valid JSON of the expected shape" : e.getMessage();
        return ProblemMapper.problem(status, title, detail, List.of());
    }
}
