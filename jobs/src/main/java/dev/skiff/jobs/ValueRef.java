package dev.skiff.jobs;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A reference to a value of the run, written {@code $.parameters.NAME}, {@code $.steps.STEP.output[.field...]} or
 * {@code $.item[.field...]}: where a step's parameter or a forEach's items come from. The path after the root names
 * fields of a JSON object, one per dot; it is resolved when the step starts, against the run's parameters, the
 * upstream step's output or the item.
 *
 * @param source what the reference starts from
 * @param name   the parameter's or the step's name; empty for {@link Source#ITEM}
 * @param path   the fields below it, outermost first
 */
public record ValueRef(Source source, String name, List<String> path) {

    /** Where a reference starts. */
    public enum Source { PARAMETER, STEP_OUTPUT, ITEM }

    /** What a reference looks like, for messages. */
    public static final String SYNTAX = "$.parameters.NAME, $.steps.STEP.output[.field...] or $.item[.field...]";

    private static final String FIELD = "[A-Za-z_][A-Za-z0-9_-]*";
    private static final Pattern PARAMETER = Pattern.compile("\\$\\.parameters\\.(" + FIELD + ")");
    private static final Pattern STEP_OUTPUT = Pattern.compile("\\$\\.steps\\.([a-z][a-z0-9-]*)\\.output((\\." + FIELD + ")*)");
    private static final Pattern ITEM = Pattern.compile("\\$\\.item((\\." + FIELD + ")*)");

    public ValueRef {
        path = List.copyOf(path);
    }

    /** True for text meant as a reference (it starts with {@code $.}), whether or not it is a valid one. */
    public static boolean looksLikeRef(String text) {
        return text.startsWith("$.");
    }

    /** The reference the text writes; empty when it is not a valid one. */
    public static Optional<ValueRef> parse(String text) {
        var parameter = PARAMETER.matcher(text);
        if (parameter.matches()) {
            return Optional.of(new ValueRef(Source.PARAMETER, parameter.group(1), List.of()));
        }
        var output = STEP_OUTPUT.matcher(text);
        if (output.matches()) {
            return Optional.of(new ValueRef(Source.STEP_OUTPUT, output.group(1), fields(output.group(2))));
        }
        var item = ITEM.matcher(text);
        if (item.matches()) {
            return Optional.of(new ValueRef(Source.ITEM, "", fields(item.group(1))));
        }
        return Optional.empty();
    }

    private static List<String> fields(String dotted) {
        return dotted.isEmpty() ? List.of() : List.of(dotted.substring(1).split("\\."));
    }

    @Override
    public String toString() {
        String root = switch (source) {
            case PARAMETER -> "$.parameters." + name;
            case STEP_OUTPUT -> "$.steps." + name + ".output";
            case ITEM -> "$.item";
        };
        return path.isEmpty() ? root : root + "." + String.join(".", path);
    }
}
