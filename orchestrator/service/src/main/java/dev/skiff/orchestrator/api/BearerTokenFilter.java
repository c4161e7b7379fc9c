package dev.skiff.orchestrator.api;

import dev.skiff.orchestrator.app.Caller;
import dev.skiff.orchestrator.app.TeamAuthorizer;
import dev.skiff.orchestrator.domain.UnauthorizedException;
import jakarta.enterprise.inject.Instance;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.ext.Provider;

/**
 * Authenticates every API request before its resource runs and leaves the {@link Caller} in {@link CurrentCaller} for
 * the resources' ownership checks. {@code /q/health} and the other {@code /q/} endpoints are not JAX-RS
 * resources, so they stay open. The token itself is never logged nor repeated in an answer.
 */
@Provider
public class BearerTokenFilter implements ContainerRequestFilter {

    // Looked up per request: filters are built while the application starts, before configuration mappings exist.
    private final Instance<TeamAuthorizer> authorizer;
    private final CurrentCaller current;

    public BearerTokenFilter(Instance<TeamAuthorizer> authorizer, CurrentCaller current) {
        this.authorizer = authorizer;
        this.current = current;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        if (request.getProperty(ConsolePaths.AUTHENTICATED) != null) {
            // A console page: its session cookie and CSRF token stand in for the token (console/ConsoleAccessFilter).
            return;
        }
        try {
            current.set(authorizer.get().authenticate(request.getHeaderString(HttpHeaders.AUTHORIZATION)));
        } catch (UnauthorizedException e) {
            request.abortWith(ProblemMapper.unauthorized(e.getMessage()));
        }
    }

}
