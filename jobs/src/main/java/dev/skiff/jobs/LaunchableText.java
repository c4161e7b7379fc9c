package dev.skiff.jobs;

import java.util.HexFormat;
import java.util.Optional;

/**
 * What text a launched process can be given in its environment and command line. A NUL ends a C string, so a
 * process environment or argument cannot carry one (the start fails, on every attempt alike); an unpaired surrogate
 * is no character at all and cannot be written as UTF-8. Other control characters (tab, newline) are carried as is.
 */
public final class LaunchableText {

    private LaunchableText() {
    }

    /** What in {@code value} cannot be carried, with its index, or empty when all of it can. */
    public static Optional<String> problem(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\0') {
                return Optional.of("a NUL character (U+0000)");
            }
            if (Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return Optional.of("an unpaired surrogate (U+" + HexFormat.of().withUpperCase().toHexDigits(c) + ")");
            }
        }
        return Optional.empty();
    }
}
