package dev.skiff.orchestrator.cli;

import dev.skiff.jobs.JobSpecs;
import dev.skiff.jobs.ValidationResult;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** {@code skiff validate FILE...}: the validation report of each file; exit 1 if any has a problem. */
final class ValidateCommand {

    private ValidateCommand() {
    }

    static int run(String[] files, PrintStream out) {
        if (files.length == 0) {
            out.println("usage: skiff validate FILE...");
            return 2;
        }
        int invalid = 0;
        for (String name : files) {
            Path file = Path.of(name);
            String text;
            try {
                text = Files.readString(file, StandardCharsets.UTF_8);
            } catch (IOException e) {
                out.println(name + ": cannot read the file: " + e.getMessage());
                invalid++;
                continue;
            }
            ValidationResult result = JobSpecs.check(name, text);
            if (result.valid()) {
                out.println(name + ": ok (job " + result.spec().orElseThrow().name() + ")");
            } else {
                invalid++;
                result.violations().forEach(out::println);
            }
        }
        out.println(files.length - invalid + " valid, " + invalid + " invalid");
        return invalid == 0 ? 0 : 1;
    }
}
