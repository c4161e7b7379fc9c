package dev.skiff.jobs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.UncheckedIOException;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The values at some parameter paths of an {@link EventText}, each found where the text writes it: what
 * {@link EventPath#extract} gives on the event's tree, without building the tree. The search only steps over what no
 * path names, and looks up a step that paths share ({@code $.detail}) once. A string without escapes and a whole
 * number are taken as they are written; every other value (a fraction, an escaped string, a container) is read alone
 * by the event's mapper, so that it comes out as in the tree (1.50 is a double or a decimal as the mapper says).
 *
 * <p>The text must be JSON the mapper reads, with no key given twice in one object ({@link EventText}); it is not
 * checked again here.
 */
final class TextParameters {

    private static final String ID = "id";
    private static final String DETAIL = "detail";
    private static final Optional<String> EMPTY_OBJECT = Optional.of("{}");

    /** How many lookups one event remembers: its paths share their first steps ($.detail, $.detail.object). */
    private static final int REMEMBERED = 16;

    private final EventText event;
    private final String text;
    private final int length;
    /** Whether the text has a backslash at all: most events have none, and then no string needs a second look. */
    private final boolean escapes;
    /** Lookups done: in the container at {@code lookedIn[k]}, the value of {@code lookedFor[k]} starts at {@code foundAt[k]}. */
    private final int[] lookedIn = new int[REMEMBERED];
    private final Object[] lookedFor = new Object[REMEMBERED];
    private final int[] foundAt = new int[REMEMBERED];
    private int lookups;

    /** @throws UncheckedIOException when the text is not a JSON object */
    TextParameters(EventText event) {
        this.event = event;
        this.text = event.text();
        this.length = text.length();
        this.escapes = text.indexOf('\\') >= 0;
        if (blank(0) >= length || text.charAt(blank(0)) != '{') {
            throw new UncheckedIOException(new JsonProcessingException("the event is not a JSON object") {
            });
        }
    }

    /**
     * The value of each path, empty where the tree would have none (the path is missing, or holds null).
     *
     * @throws UncheckedIOException when the mapper cannot read a value after all
     */
    static Map<EventPath, Optional<String>> read(EventText event, List<EventPath> paths) {
        TextParameters text = new TextParameters(event);
        Map<EventPath, Optional<String>> values = new IdentityHashMap<>();
        for (EventPath path : paths) {
            values.put(path, text.at(path));
        }
        return values;
    }

    /**
     * The value at the path, as {@link EventPath#extract} gives it on the tree.
     *
     * @throws UncheckedIOException when the mapper cannot read the value after all
     */
    Optional<String> at(EventPath path) {
        List<Object> steps = path.steps();
        if (ID.equals(steps.get(0))) {
            // The intake's id replaces the text's: a string, with nothing below it
            return steps.size() == 1 ? Optional.of(event.id()) : Optional.empty();
        }
        int at = blank(0);
        for (int i = 0; i < steps.size(); i++) {
            Object step = steps.get(i);
            char container = text.charAt(at);
            int next = step instanceof Integer && container == '[' || step instanceof String && container == '{' ? find(at, step) : -1;
            if (next < 0) {
                // the intake gives an event without one an empty detail
                return i == 0 && steps.size() == 1 && DETAIL.equals(step) ? EMPTY_OBJECT : Optional.empty();
            }
            at = next;
        }
        return value(at);
    }

    /** Where the value of {@code step} starts in the container at {@code container}, or -1 when it has none. */
    private int find(int container, Object step) {
        for (int k = 0; k < lookups; k++) {
            if (lookedIn[k] == container && lookedFor[k].equals(step)) {
                return foundAt[k];
            }
        }
        int found = step instanceof Integer index ? element(container, index) : field(container, (String) step);
        if (lookups < REMEMBERED) {
            lookedIn[lookups] = container;
            lookedFor[lookups] = step;
            foundAt[lookups++] = found;
        }
        return found;
    }

    private int field(int object, String name) {
        int i = blank(object + 1);
        while (i < length && text.charAt(i) == '"') {
            int keyEnd = stringEnd(i);
            boolean wanted = isKey(i + 1, keyEnd, name);
            i = blank(blank(keyEnd + 1) + 1); // past the colon
            if (wanted) {
                return i;
            }
            i = blank(skip(i));
            if (i < length && text.charAt(i) == ',') {
                i = blank(i + 1);
            }
        }
        return -1;
    }

    private int element(int array, int index) {
        int i = blank(array + 1);
        for (int n = 0; i < length && text.charAt(i) != ']'; n++) {
            if (n == index) {
                return i;
            }
            i = blank(skip(i));
            if (i < length && text.charAt(i) == ',') {
                i = blank(i + 1);
            }
        }
        return -1;
    }

    /** The value starting at {@code at}, as a parameter gets it. */
    private Optional<String> value(int at) {
        char first = text.charAt(at);
        int end = skip(at);
        if (first == '"' && !hasBackslash(at + 1, end - 1)) {
            return Optional.of(text.substring(at + 1, end - 1));
        }
        if (isPlain(first, at, end)) {
            return plain(first, at, end);
        }
        return EventPath.text(readByMapper(at, end));
    }

    /** true, false, null, or a whole number (no fraction, no exponent): what the tree gives for them is their text. */
    private boolean isPlain(char first, int at, int end) {
        if (first == '"' || first == '{' || first == '[') {
            return false;
        }
        for (int i = at; i < end; i++) {
            char c = text.charAt(i);
            if (c == '.' || c == 'e' || c == 'E') {
                return false;
            }
        }
        return true;
    }

    private Optional<String> plain(char first, int at, int end) {
        if (first == 'n') {
            return Optional.empty(); // null: a default applies, as for a missing value
        }
        // -0 is the number 0; any other whole number, true and false read back as they are written (JSON has no + or leading zero)
        return Optional.of(end - at == 2 && text.startsWith("-0", at) ? "0" : text.substring(at, end));
    }

    private JsonNode readByMapper(int at, int end) {
        try {
            return event.mapper().readTree(text.substring(at, end));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Past the value at {@code at}. */
    private int skip(int at) {
        char first = text.charAt(at);
        if (first == '"') {
            return stringEnd(at) + 1;
        }
        if (first != '{' && first != '[') {
            int i = at;
            while (i < length && !isDelimiter(text.charAt(i))) {
                i++;
            }
            return i;
        }
        int depth = 0;
        for (int i = at; i < length; i++) {
            char c = text.charAt(i);
            if (c == '"') {
                i = stringEnd(i);
            } else if (c == '{' || c == '[') {
                depth++;
            } else if ((c == '}' || c == ']') && --depth == 0) {
                return i + 1;
            }
        }
        return length;
    }

    private static boolean isDelimiter(char c) {
        return c == ',' || c == '}' || c == ']' || c == ' ' || c == '\n' || c == '\r' || c == '\t';
    }

    /** The index of the quote closing the string that opens at {@code open}. */
    private int stringEnd(int open) {
        int quote = JsonText.closingQuote(text, open);
        return quote < 0 ? length : quote;
    }

    private boolean hasBackslash(int start, int end) {
        if (!escapes) {
            return false;
        }
        for (int i = start; i < end; i++) {
            if (text.charAt(i) == '\\') {
                return true;
            }
        }
        return false;
    }

    /** Whether the key written between {@code start} and {@code end} is {@code name} (a key with an escape is read as the tree reads it). */
    private boolean isKey(int start, int end, String name) {
        if (end - start == name.length() && text.startsWith(name, start)) {
            return true;
        }
        return hasBackslash(start, end) && name.equals(readByMapper(start - 1, end + 1).textValue());
    }

    private int blank(int at) {
        int i = at;
        while (i < length) {
            char c = text.charAt(i);
            if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
                break;
            }
            i++;
        }
        return i;
    }
}
