package dev.skiff.jobs;

import java.util.Optional;

/**
 * The value of a step parameter: literal text, or a reference resolved when the step starts.
 *
 * @param text as written in the spec
 * @param ref  the reference, when the text is one
 */
public record StepValue(String text, Optional<ValueRef> ref) {

    /** Reads a spec value: text starting with {@code $.} must be a valid reference (the validator made sure). */
    static StepValue of(String text) {
        return new StepValue(text, ValueRef.looksLikeRef(text) ? ValueRef.parse(text) : Optional.empty());
    }
}
