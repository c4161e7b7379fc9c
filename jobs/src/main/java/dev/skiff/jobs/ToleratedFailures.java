package dev.skiff.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * How many of a forEach's items may fail without failing the step, as a count or as a share of the items (Step
 * Functions' ToleratedFailureCount and ToleratedFailurePercentage).
 *
 * @param count   failed items tolerated; used when {@code percent} is negative
 * @param percent share of the items tolerated, 0 to 100; negative when a count is given
 */
public record ToleratedFailures(int count, int percent) {

    public static final ToleratedFailures NONE = new ToleratedFailures(0, -1);

    private static final Pattern PERCENT = Pattern.compile("([0-9]{1,3})%");

    public static ToleratedFailures count(int count) {
        return new ToleratedFailures(count, -1);
    }

    public static ToleratedFailures percent(int percent) {
        return new ToleratedFailures(0, percent);
    }

    public boolean isPercent() {
        return percent >= 0;
    }

    /** True when {@code failed} of {@code total} items still let the step succeed. */
    public boolean tolerates(int failed, int total) {
        if (isPercent()) {
            // As Step Functions counts it: the step fails once failures exceed the share.
            return failed * 100L <= (long) percent * total;
        }
        return failed <= count;
    }

    /** Reads {@code forEach.toleratedFailures}; empty for a value that is neither a count (0 or more) nor a share from 0% to 100%. */
    static Optional<ToleratedFailures> parse(JsonNode value) {
        var count = SpecNodes.intValue(value);
        if (count.isPresent()) {
            return count.getAsInt() >= 0 ? Optional.of(ToleratedFailures.count(count.getAsInt())) : Optional.empty();
        }
        if (value.isTextual()) {
            var percent = PERCENT.matcher(value.textValue());
            if (percent.matches() && Integer.parseInt(percent.group(1)) <= 100) {
                return Optional.of(ToleratedFailures.percent(Integer.parseInt(percent.group(1))));
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return isPercent() ? percent + "%" : Integer.toString(count);
    }
}
