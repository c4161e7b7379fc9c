package dev.skiff.orchestrator.api;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.ext.Provider;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Lets {@code follow} on {@code GET /runs/{id}/log} choose between its two answers: the text of the last lines, or
 * the server-sent events of {@link RunsResource#followLog}. JAX-RS chooses between them by the Accept header, so
 * this sets it from the parameter, whatever the client sent (an EventSource asks for events; curl asks for anything).
 */
@Provider
@PreMatching
public class LogFollowFilter implements ContainerRequestFilter {

    private static final Pattern LOG_PATH = Pattern.compile("/runs/[^/]+/log/?");

    @Override
    public void filter(ContainerRequestContext request) {
        if (!LOG_PATH.matcher(request.getUriInfo().getPath()).matches()) {
            return;
        }
        List<String> follow = request.getUriInfo().getQueryParameters().getOrDefault("follow", List.of());
        String value = follow.isEmpty() ? "false" : follow.get(follow.size() - 1).trim().toLowerCase(Locale.ROOT);
        if (!value.equals("true") && !value.equals("false")) {
            request.abortWith(ProblemMapper.problem(400, "Bad Request",
                    "follow: " + follow.get(follow.size() - 1) + " is not true or false", List.of()));
            return;
        }
        request.getHeaders().putSingle(HttpHeaders.ACCEPT,
                value.equals("true") ? MediaType.SERVER_SENT_EVENTS : MediaType.TEXT_PLAIN);
    }
}
