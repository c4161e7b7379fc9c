package dev.skiff.jobs;

/** Small steps over JSON text that readers of an event's text share, without a parser. */
public final class JsonText {

    private JsonText() {
    }

    /** The index of the quote closing the string whose opening quote is at {@code open}: the first one no backslash escapes; -1 when none. */
    public static int closingQuote(String text, int open) {
        int quote = text.indexOf('"', open + 1);
        while (quote >= 0) {
            int backslashes = 0;
            while (text.charAt(quote - 1 - backslashes) == '\\') {
                backslashes++;
            }
            if (backslashes % 2 == 0) {
                return quote;
            }
            quote = text.indexOf('"', quote + 1);
        }
        return -1;
    }
}
