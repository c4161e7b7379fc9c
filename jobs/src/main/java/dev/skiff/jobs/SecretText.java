package dev.skiff.jobs;

/** Shows enough of a possibly secret value to find it in the file, and no more. */
final class SecretText {

    private static final int SHOWN = 4;

    private SecretText() {
    }

    static String redact(String value) {
        // Short values are shown not at all: four characters of a six-character secret is most of it.
        return value.length() <= 2 * SHOWN ? "…" : value.substring(0, SHOWN) + "…";
    }
}
