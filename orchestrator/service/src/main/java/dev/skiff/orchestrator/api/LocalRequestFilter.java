package dev.skiff.orchestrator.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.skiff.orchestrator.config.AuthConfig;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.util.List;

/**
 * Applies {@link LocalRequestRules} to every request when the API has no authentication. A Vert.x route filter,
 * not a JAX-RS one, so that it sees every path, {@code /q/*} included, before any handler runs.
 */
@Singleton
public class LocalRequestFilter {

    /** Ahead of the other filters: a refused request reaches nothing else. */
    static final int PRIORITY = 10_000;

    void register(@Observes Filters filters, AuthConfig auth, ObjectMapper mapper) {
        if (!AuthConfig.NONE.equals(auth.mode())) {
            // With API keys every call carries a bearer token, which a page of another origin cannot attach.
            return;
        }
        var rules = new LocalRequestRules(!auth.allowUnauthenticatedRemote());
        filters.register(context -> {
            HttpServerRequest request = context.request();
            var refusal = rules.check(request.method().name(), context.normalizedPath(), host(request), request.getHeader(HttpHeaders.ORIGIN),
                    request.getHeader("Sec-Fetch-Site"), request.getHeader(HttpHeaders.CONTENT_TYPE), hasBody(request));
            if (refusal.isEmpty()) {
                context.next();
                return;
            }
            var problem = refusal.get();
            context.response().setStatusCode(problem.status())
                    .putHeader(HttpHeaders.CONTENT_TYPE, ProblemMapper.PROBLEM_JSON)
                    .end(json(mapper, problem));
        }, PRIORITY);
    }

    /** The Host header, or HTTP/2's :authority where there is none. */
    private static String host(HttpServerRequest request) {
        String host = request.getHeader(HttpHeaders.HOST);
        return host != null || request.authority() == null ? host : request.authority().toString();
    }

    private static boolean hasBody(HttpServerRequest request) {
        String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        return request.getHeader(HttpHeaders.TRANSFER_ENCODING) != null || (length != null && !length.trim().equals("0"));
    }

    private static String json(ObjectMapper mapper, LocalRequestRules.Refusal refusal) {
        try {
            return mapper.writeValueAsString(
                    ProblemMapper.body(refusal.status(), refusal.title(), refusal.detail(), List.of()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a map of strings and numbers is always JSON", e);
        }
    }
}
