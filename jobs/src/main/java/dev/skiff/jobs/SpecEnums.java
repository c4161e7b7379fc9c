package dev.skiff.jobs;

import java.util.Arrays;
import java.util.function.Function;

/** Finds an enum constant by its spec spelling ({@code spot-first}, {@code exit-code}). */
final class SpecEnums {

    private SpecEnums() {
    }

    static <E extends Enum<E>> E bySpecName(E[] values, Function<E, String> specName, String text) {
        return Arrays.stream(values)
                .filter(v -> specName.apply(v).equals(text))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException(text + " is not one of " + Arrays.toString(values)));
    }
}
