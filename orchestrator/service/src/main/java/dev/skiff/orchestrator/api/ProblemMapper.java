package dev.skiff.orchestrator.api;

import dev.skiff.orchestrator.domain.ConflictException;
import dev.skiff.orchestrator.domain.ForbiddenException;
import dev.skiff.orchestrator.domain.InvalidRequestException;
import dev.skiff.orchestrator.domain.MalformedRequestException;
import dev.skiff.orchestrator.domain.NotFoundException;
import dev.skiff.orchestrator.domain.NotReadyException;
import dev.skiff.orchestrator.domain.PayloadTooLargeException;
import dev.skiff.orchestrator.domain.SkiffException;
import dev.skiff.orchestrator.domain.TooManyRequestsException;
import dev.skiff.orchestrator.domain.UnauthorizedException;
import dev.skiff.orchestrator.domain.UpstreamFailedException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Writes every error as {@code application/problem+json} (RFC 9457): a status, a title, a detail
 * written for people, and the list of problems when there are several. Never a class name or a
 * stack trace: those go to the log for unexpected errors only.
 */
@Provider
public class ProblemMapper implements ExceptionMapper<SkiffException> {

    private static final Logger LOG = Logger.getLogger(ProblemMapper.class);
    public static final String PROBLEM_JSON = "application/problem+json";

    @Override
    public Response toResponse(SkiffException e) {
        if (e instanceof NotFoundException) {
            return problem(404, "Not Found", e.getMessage(), List.of());
        }
        if (e instanceof InvalidRequestException invalid) {
            return problem(422, "Unprocessable Content", e.getMessage(), invalid.problems());
        }
        if (e instanceof MalformedRequestException) {
            // Listed in problems too, as a parameter out of bounds is (ConstraintViolationMapper): one shape per 400.
            return problem(400, "Bad Request", e.getMessage(), List.of(e.getMessage()));
        }
        if (e instanceof UnauthorizedException) {
            return unauthorized(e.getMessage());
        }
        if (e instanceof ForbiddenException) {
            return problem(403, "Forbidden", e.getMessage(), List.of());
        }
        if (e instanceof PayloadTooLargeException) {
            return problem(413, "Content Too Large", e.getMessage(), List.of());
        }
        if (e instanceof ConflictException) {
            return problem(409, "Conflict", e.getMessage(), List.of());
        }
        if (e instanceof NotReadyException) {
            return Response.fromResponse(problem(503, "Service Unavailable", e.getMessage(), List.of()))
                    .header("Retry-After", "5").build();
        }
        if (e instanceof TooManyRequestsException busy) {
            return Response.fromResponse(problem(429, "Too Many Requests", e.getMessage(), List.of()))
                    .header("Retry-After", Math.max(1, busy.retryAfter().toSeconds())).build();
        }
        if (e instanceof UpstreamFailedException upstream) {
            LOG.warn(e.getMessage());
            return upstream.retryable()
                    ? Response.fromResponse(problem(503, "Service Unavailable", e.getMessage(), List.of()))
                            .header("Retry-After", "5").build()
                    : problem(502, "Bad Gateway", e.getMessage(), List.of());
        }
        LOG.error("request failed", e);
        return problem(500, "Internal Server Error", e.getMessage(), List.of());
    }

    /** 401 with the challenge RFC 6750 asks for. */
    static Response unauthorized(String detail) {
        return Response.fromResponse(problem(401, "Unauthorized", detail, List.of()))
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"skiff\"").build();
    }

    static Response problem(int status, String title, String detail, List<String> problems) {
        return Response.status(status).type(PROBLEM_JSON).entity(body(status, title, detail, problems)).build();
    }

    /** The problem document itself, for answers written outside JAX-RS. */
    static Map<String, Object> body(int status, String title, String detail, List<String> problems) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "about:blank");
        body.put("title", title);
        body.put("status", status);
        body.put("detail", detail);
        if (!problems.isEmpty()) {
            body.put("problems", problems);
        }
        return body;
    }
}
