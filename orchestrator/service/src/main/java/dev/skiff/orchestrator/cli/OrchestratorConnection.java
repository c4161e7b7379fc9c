package dev.skiff.orchestrator.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.skiff.orchestrator.api.LoopbackNames;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/**
 * The running orchestrator a command talks to: its URL and the team's token. The token is never printed, and is not
 * sent over plain {@code http://} to another machine, where anyone on the way could read it and act as the team,
 * unless {@code --insecure} says so (then with a warning).
 */
final class OrchestratorConnection {

    static final String DEFAULT_URL = "http://127.0.0.1:8080";
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String url;
    private final String token;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

    private OrchestratorConnection(String url, String token) {
        this.url = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        this.token = token == null || token.isBlank() ? null : token.trim();
    }

    /** @return empty, having said why on {@code err}, when the token must not go to this URL */
    static Optional<OrchestratorConnection> open(String command, String url, String token, boolean insecure,
                                                 PrintStream err) {
        if (token != null && !token.isBlank() && sendsInTheClear(url)) {
            if (!insecure) {
                err.println("skiff " + command + ": refusing to send the token to " + url + " over plain http: anyone"
                        + " on the network could read it and act as your team. Use an https:// URL, or pass --insecure"
                        + " if this network is trusted");
                return Optional.empty();
            }
            err.println("skiff " + command + ": warning: sending the token to " + url + " over plain http (--insecure):"
                    + " it is readable by anyone on the network between here and there");
        }
        return Optional.of(new OrchestratorConnection(url, token));
    }

    String url() {
        return url;
    }

    /** A request to {@code path} (starting with '/'), with the token when there is one. */
    HttpRequest.Builder request(String path) {
        var request = HttpRequest.newBuilder(URI.create(url + path)).timeout(TIMEOUT).header("Accept", "application/json");
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return request;
    }

    HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        return http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    /** The answer's JSON, or an empty object when it has none. */
    static JsonNode json(String body) {
        try {
            return JSON.readTree(body == null || body.isBlank() ? "{}" : body);
        } catch (IOException e) {
            return JSON.createObjectNode();
        }
    }

    /** Plain http to a host other than this machine (an unparsable URL fails later, when it is used). */
    private static boolean sendsInTheClear(String url) {
        try {
            URI uri = URI.create(url);
            return "http".equalsIgnoreCase(uri.getScheme()) && uri.getHost() != null
                    && !LoopbackNames.isLoopbackAddress(uri.getHost());
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
