package dev.skiff.orchestrator.cli;

import picocli.CommandLine.Option;

/** {@code -o/--output text|json}: a table for people, or the API's JSON as it came, for scripts. */
final class OutputOption {

    enum Format { text, json }

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "text",
            description = "text (default) or json: the API's answer as it is")
    Format format = Format.text;

    boolean json() {
        return format == Format.json;
    }
}
