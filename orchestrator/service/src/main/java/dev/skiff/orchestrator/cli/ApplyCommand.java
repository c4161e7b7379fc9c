package dev.skiff.orchestrator.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.skiff.jobs.JobSpecs;
import dev.skiff.jobs.ValidationResult;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code skiff apply [--url URL] [--token TOKEN] [--insecure] FILE...}: sends each spec to a running orchestrator
 * with {@code PUT /jobs/{name}} and prints one line per file (and the server's problems under it); exit 1 if any
 * file was not applied. A spec that fails the local check is not sent. The URL comes from {@code --url} or
 * {@code SKIFF_URL}, the token from {@code --token} or {@code SKIFF_TOKEN}, and is never printed. A token is not sent
 * over plain {@code http://} to another machine, where anyone on the way could read it and act as the team, unless
 * {@code --insecure} says so (then with a warning).
 */
@Command(name = "apply", description = "Send job specs to a running orchestrator (PUT /jobs/{name}): one line per"
        + " file; exit 1 if any was not applied. A spec that fails the local check is not sent.")
final class ApplyCommand extends ClientCommand {

    @Parameters(paramLabel = "FILE", arity = "1..*", description = "job spec files (YAML or JSON)")
    List<String> files;

    ApplyCommand(Terminal terminal) {
        super(terminal);
    }

    /** With --output json, stdout has the array of the API's answers (one per file sent), the lines go to stderr. */
    @Override
    public Integer call() {
        OrchestratorConnection api = connect();
        PrintStream lines = output.json() ? terminal.err() : terminal.out();
        List<String> answers = new ArrayList<>();
        int failed = 0;
        for (String file : files) {
            failed += applyOne(api, file, lines, answers) ? 0 : 1;
        }
        if (output.json()) {
            terminal.out().println("[" + String.join(",", answers) + "]");
        }
        return failed == 0 ? 0 : 1;
    }

    private static boolean applyOne(OrchestratorConnection connection, String file, PrintStream out,
                                    List<String> answers) {
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
        var request = connection.request("/jobs/" + URLEncoder.encode(name, StandardCharsets.UTF_8))
                .header("Content-Type", file.endsWith(".json") ? "application/json" : "application/yaml")
                .PUT(HttpRequest.BodyPublishers.ofString(text, StandardCharsets.UTF_8));
        HttpResponse<String> response;
        try {
            response = connection.send(request.build());
        } catch (IOException e) {
            out.println(file + ": cannot reach " + connection.url() + ": " + e.getMessage());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            out.println(file + ": interrupted");
            return false;
        }
        answers.add(response.body().isBlank() ? "{}" : response.body());
        return report(file, name, response, out);
    }

    private static boolean report(String file, String name, HttpResponse<String> response, PrintStream out) {
        int status = response.statusCode();
        if (status == 201 || status == 200) {
            out.println(file + ": " + (status == 201 ? "created" : "updated") + " job " + name);
            return true;
        }
        JsonNode problem = OrchestratorConnection.json(response.body());
        String detail = problem.path("detail").asText("");
        out.println(file + ": job " + name + " not applied: " + status + (detail.isEmpty() ? "" : " " + detail));
        problem.path("problems").forEach(p -> out.println("  " + p.asText()));
        return false;
    }
}
