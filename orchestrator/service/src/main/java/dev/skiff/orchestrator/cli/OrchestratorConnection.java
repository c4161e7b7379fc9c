package dev.skiff.orchestrator.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.skiff.orchestrator.api.LoopbackNames;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The running orchestrator a command talks to: its URL and the team's token. The token is never printed, and is not
 * sent over plain {@code http://} to another machine, where anyone on the way could read it and act as the team,
 * unless {@code --insecure} says so (then with a warning).
 */
final class OrchestratorConnection {

    static final String DEFAULT_URL = "http://127.0.0.1:8080";
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String command;
    private final String url;
    private final String token;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

    private OrchestratorConnection(String command, String url, String token) {
        this.command = command;
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
        return Optional.of(new OrchestratorConnection(command, url, token));
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

    /**
     * A request for a stream of server-sent events: no overall timeout (the stream lasts as long as the attempt),
     * only the connect timeout. It accepts plain text too, less gladly: an orchestrator without live logs then answers
     * the last lines instead of 406, and a refusal comes as problem+json.
     */
    HttpRequest.Builder events(String path) {
        var request = HttpRequest.newBuilder(URI.create(url + path))
                .header("Accept", "text/event-stream, text/plain;q=0.5, application/problem+json;q=0.5");
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return request;
    }

    HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        return http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    /** The answer to a request that must succeed: a 2xx, else the API's problem as a failure (exit 1). */
    HttpResponse<String> call(HttpRequest request) {
        HttpResponse<String> response = exchange(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        if (response.statusCode() / 100 != 2) {
            throw new CommandFailure(problem(response.statusCode(), response.body()), 1);
        }
        return response;
    }

    /** Sends, turning an orchestrator that cannot be reached into one line that names it and how to start one. */
    <T> HttpResponse<T> exchange(HttpRequest request, HttpResponse.BodyHandler<T> body) {
        try {
            return http.send(request, body);
        } catch (HttpTimeoutException e) {
            throw new CommandFailure("skiff " + command + ": the orchestrator at " + url + " did not answer within "
                    + TIMEOUT.toSeconds() + " s", 1);
        } catch (IOException e) {
            throw new CommandFailure(unreachable(e), 1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CommandFailure("skiff " + command + ": interrupted", 1);
        }
    }

    String unreachable(IOException e) {
        String why = e.getMessage() == null || e.getMessage().isBlank() ? e.getClass().getSimpleName() : e.getMessage();
        return "skiff " + command + ": cannot reach the orchestrator at " + url + " (" + why + "); is it running?"
                + " Start one with ./skiff up, or point --url / SKIFF_URL at yours";
    }

    /** "skiff runs: 400 Bad Request: status: DONE is not a run status", and the problems under it. */
    String problem(int status, String body) {
        JsonNode problem = json(body);
        String title = problem.path("title").asText("");
        String detail = problem.path("detail").asText("");
        var text = new StringBuilder("skiff " + command + ": " + status + (title.isEmpty() ? "" : " " + title)
                + (detail.isEmpty() ? "" : ": " + detail));
        // A lone problem that repeats the detail (a parameter out of bounds) is said once.
        problem.path("problems").forEach(p -> {
            if (!p.asText().equals(detail)) {
                text.append(System.lineSeparator()).append("  ").append(p.asText());
            }
        });
        return text.toString();
    }

    /** One path segment, escaped: a run id or job name never changes the path it is put in. */
    static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** "?a=1&b=2" of the values given (null and blank ones left out), or "" when none is. */
    static String query(Map<String, String> values) {
        String joined = values.entrySet().stream().filter(e -> e.getValue() != null && !e.getValue().isBlank())
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return joined.isEmpty() ? "" : "?" + joined;
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
