package dev.skiff.orchestrator.api;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.ext.Provider;
import java.util.List;

/**
 * Refuses a request target (path and query) longer than {@link #MAX_LENGTH} with a 414 problem. The HTTP server
 * lets longer lines through (quarkus.http.limits.max-initial-line-length is set well above this) so that the
 * answer is a problem like every other one, not the server's bare 414; no job name, run id or query Skiff knows
 * comes near the limit.
 */
@Provider
@PreMatching
public class RequestLineLimitFilter implements ContainerRequestFilter {

    public static final int MAX_LENGTH = 4096;

    @Override
    public void filter(ContainerRequestContext request) {
        int length = request.getUriInfo().getRequestUri().getRawPath().length()
                + (request.getUriInfo().getRequestUri().getRawQuery() == null ? 0 : request.getUriInfo().getRequestUri().getRawQuery().length());
        if (length > MAX_LENGTH) {
            request.abortWith(ProblemMapper.problem(414, "URI Too Long",
                    "the request path and query are " + length + " characters long; the limit is " + MAX_LENGTH, List.of()));
        }
    }
}
