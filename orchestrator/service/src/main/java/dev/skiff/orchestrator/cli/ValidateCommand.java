package dev.skiff.orchestrator.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.jobs.JobSpecs;
import dev.skiff.jobs.ValidationResult;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code skiff validate FILE...}: the validation report of each file; exit 1 if any has a problem. */
@Command(name = "validate", description = "Check job specs without a server: the validation report of each file;"
        + " exit 1 if any is invalid.")
final class ValidateCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Parameters(paramLabel = "FILE", arity = "1..*", description = "job spec files (YAML or JSON)")
    List<String> files;
    @Mixin
    OutputOption output;

    private final Terminal terminal;

    ValidateCommand(Terminal terminal) {
        this.terminal = terminal;
    }

    /** With --output json, an array: {"file", "valid", "job"} for a valid spec, {"file", "valid", "problems"} else. */
    @Override
    public Integer call() {
        PrintStream out = terminal.out();
        ArrayNode report = JSON.createArrayNode();
        int invalid = 0;
        for (String name : files) {
            ObjectNode entry = report.addObject().put("file", name);
            String text;
            try {
                text = Files.readString(Path.of(name), StandardCharsets.UTF_8);
            } catch (IOException e) {
                entry.put("valid", false).putArray("problems").add("cannot read the file: " + e.getMessage());
                invalid++;
                continue;
            }
            ValidationResult result = JobSpecs.check(name, text);
            entry.put("valid", result.valid());
            if (result.valid()) {
                entry.put("job", result.spec().orElseThrow().name());
            } else {
                invalid++;
                ArrayNode problems = entry.putArray("problems");
                result.violations().forEach(v -> problems.add(v.toString()));
            }
        }
        if (output.json()) {
            out.println(report);
        } else {
            report.forEach(entry -> {
                if (entry.path("valid").asBoolean()) {
                    out.println(entry.path("file").asText() + ": ok (job " + entry.path("job").asText() + ")");
                } else if (entry.path("problems").get(0).asText().startsWith("cannot read the file")) {
                    out.println(entry.path("file").asText() + ": " + entry.path("problems").get(0).asText());
                } else {
                    entry.path("problems").forEach(p -> out.println(p.asText()));
                }
            });
            out.println(files.size() - invalid + " valid, " + invalid + " invalid");
        }
        return invalid == 0 ? 0 : 1;
    }
}
