package dev.skiff.orchestrator.api;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Serves the OpenAPI document at {@code /q/openapi} (and {@code .json}, {@code .yaml}, {@code .yml}) as Quarkus's
 * OpenAPI extension did, from the files that orchestrator/openapi writes at build time: the extension built the same
 * document again at every start, for about 4.7 MB of RSS and 140 ms of the start. A Vert.x route, not a JAX-RS
 * resource, so that the API-key filter (JAX-RS) leaves it open as before; the loopback rules ({@link
 * LocalRequestFilter}) apply to it as to every path.
 */
@Singleton
public class OpenApiRoute {

    /** The extension's path: under Quarkus's non-application root, {@code /q}, which Skiff does not move. */
    static final String PATH = "/q/openapi";

    private static final List<String> SUFFIXES = List.of("", ".json", ".yaml", ".yml");
    private static final String ALLOWED_METHODS = "GET, HEAD, OPTIONS";

    /** Read on first request, not at start: a start that nobody asks for the document costs nothing. */
    private final Map<OpenApiFormat, byte[]> documents = new ConcurrentHashMap<>();

    void register(@Observes Router router) {
        for (String suffix : SUFFIXES) {
            // every method, as the extension's route: it answered OPTIONS with the methods it serves, any other with
            // the document
            router.route(PATH + suffix).handler(this::serve);
        }
    }

    private void serve(RoutingContext context) {
        if (context.request().method() == HttpMethod.OPTIONS) {
            context.response().putHeader(HttpHeaders.ALLOW, ALLOWED_METHODS).end();
            return;
        }
        List<String> format = context.queryParam("format");
        OpenApiFormat requested = OpenApiFormat.requested(context.normalizedPath(),
                context.request().getHeader(HttpHeaders.ACCEPT), format.isEmpty() ? null : format.get(0));
        // a copy per answer: a Buffer is not to be shared between responses
        Buffer document = Buffer.buffer(documents.computeIfAbsent(requested, OpenApiRoute::read));
        context.response().putHeader(HttpHeaders.CONTENT_TYPE, requested.contentType()).end(document);
    }

    /** Some 60 KB read once from the jar: short enough for the event loop. */
    private static byte[] read(OpenApiFormat format) {
        try (InputStream in = OpenApiRoute.class.getClassLoader().getResourceAsStream(format.resource())) {
            if (in == null) {
                throw new IllegalStateException(format.resource() + " is missing from the class path: the build of "
                        + "orchestrator/openapi writes it");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
