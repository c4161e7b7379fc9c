package dev.skiff.orchestrator.cli;

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
import picocli.CommandLine.Parameters;

/** {@code skiff validate FILE...}: the validation report of each file; exit 1 if any has a problem. */
@Command(name = "validate", description = "Check job specs without a server: the validation report of each file;"
        + " exit 1 if any is invalid.")
final class ValidateCommand implements Callable<Integer> {

    @Parameters(paramLabel = "FILE", arity = "1..*", description = "job spec files (YAML or JSON)")
    List<String> files;

    private final Terminal terminal;

    ValidateCommand(Terminal terminal) {
        this.terminal = terminal;
    }

    @Override
    public Integer call() {
        PrintStream out = terminal.out();
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
        out.println(files.size() - invalid + " valid, " + invalid + " invalid");
        return invalid == 0 ? 0 : 1;
    }
}
