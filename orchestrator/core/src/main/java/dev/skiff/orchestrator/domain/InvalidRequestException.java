package dev.skiff.orchestrator.domain;

import java.util.List;

/** A request that is well-formed but cannot be carried out: each problem names the field and the rule. */
public class InvalidRequestException extends SkiffException {

    private final List<String> problems;

    public InvalidRequestException(String message, List<String> problems) {
        super(message);
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
