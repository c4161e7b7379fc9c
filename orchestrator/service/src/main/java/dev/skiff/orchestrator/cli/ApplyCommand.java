package dev.skiff.orchestrator.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.skiff.jobs.JobSpecs;
import dev.skiff.jobs.ValidationResult;
import dev.skiff.orchestrator.api.LoopbackNames;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code skiff apply [--url URL] [--token TOKEN] [--insecure] FILE...}: sends each spec to a running orchestrator
 * with {@code PUT /jobs/{name}} and prints one line per file (and the server's problems under it); exit 1 if any
 * file was not applied. A spec that fails the local check is not sent. The token comes from {@code --token}
 * or {@code SKIFF_TOKEN} and is never printed. A token is not sent over plain {@code http://} to another machine,
 * where anyone on the way could read it and act as the team, unless {@code --insecure} says so (then with a warning).
 */
final class ApplyCommand {

    static final String DEFAULT_URL = "http://127.0.0.1:8080";
    private static final String USAGE =
            "usage: skiff apply [--url URL] [--token TOKEN] [--insecure] FILE... (token also from SKIFF_TOKEN)";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private ApplyCommand() {
    }

    static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        String url = DEFAULT_URL;
        String token = env.get("SKIFF_TOKEN");
        List<String> files = new ArrayList<>();
        boolean insecure = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--insecure" -> insecure = true;
                case "--url", "--token" -> {
                    if (i + 1 == args.length) {
                        out.println(USAGE);
                        return 2;
                    }
                    if (args[i].equals("--url")) {
                        url = args[++i];
                    } else {
                        token = args[++i];
                    }
                }
                default -> files.add(args[i]);
            }
        }
        if (files.isEmpty()) {
            out.println(USAGE);
            return 2;
        }
        if (token != null && !token.isBlank() && sendsInTheClear(url)) {
            if (!insecure) {
                err.println("skiff apply: refusing to send the token to " + url + " over plain http: anyone on the"
                        + " network could read it and act as your team. Use an https:// URL, or pass --insecure"
                        + " if this network is trusted");
                return 2;
            }
            err.println("skiff apply: warning: sending the token to " + url + " over plain http (--insecure):"
                    + " it is readable by anyone on the network between here and there");
        }
        HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
        int failed = 0;
        for (String file : files) {
            failed += applyOne(http, stripSlash(url), token, file, out) ? 0 : 1;
        }
        return failed == 0 ? 0 : 1;
    }

    private static boolean applyOne(HttpClient http, String url, String token, String file, PrintStream out) {
        String text;
        try {
            text = Files.readString(Path.of(file), StandardCharsets.UTF_8);
        } catch (IOException e) {
            out.println(file + ": cannot read the file: " + e.getMessage());
            return false;
        }
        ValidationResult result = JobSpecs.check(file, text);
        if (!result.valid()) {
            out.println(file + ": invalid, not sent");
            result.violations().forEach(v -> out.println("  " + v));
            return false;
        }
        String name = result.spec().orElseThrow().name();
        var request = HttpRequest.newBuilder(URI.create(url + "/jobs/" + URLEncoder.encode(name, StandardCharsets.UTF_8)))
                .timeout(TIMEOUT)
                .header("Content-Type", file.endsWith(".json") ? "application/json" : "application/yaml")
                .header("Accept", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(text, StandardCharsets.UTF_8));
        if (token != null && !token.isBlank()) {
            request.header("Authorization", "Bearer " + token.trim());
        }
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            out.println(file + ": cannot reach " + url + ": " + e.getMessage());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            out.println(file + ": interrupted");
            return false;
        }
        return report(file, name, response, out);
    }

    private static boolean report(String file, String name, HttpResponse<String> response, PrintStream out) {
        int status = response.statusCode();
        if (status == 201 || status == 200) {
            out.println(file + ": " + (status == 201 ? "created" : "updated") + " job " + name);
            return true;
        }
        JsonNode problem = readProblem(response.body());
        String detail = problem.path("detail").asText("");
        out.println(file + ": job " + name + " not applied: " + status + (detail.isEmpty() ? "" : " " + detail));
        problem.path("problems").forEach(p -> out.println("  " + p.asText()));
        return false;
    }

    private static JsonNode readProblem(String body) {
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

    private static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
