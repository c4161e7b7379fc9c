package dev.skiff.orchestrator.app;

import com.fasterxml.jackson.core.StreamReadConstraints;
import dev.skiff.jobs.JsonText;
import java.util.Arrays;

/**
 * The top-level fields the intake needs of one plain EventBridge event ({@code source}, {@code detail-type},
 * {@code id}), read straight from its text, so that an event matching no job is never built into a tree.
 *
 * <p>It is not a JSON parser: it only finds the top-level keys and steps over nested values, and event-ruler, which
 * reads the same text to match it, refuses text that is not JSON. It declines ({@code null}) whatever it cannot read
 * plainly, and the intake then reads the tree as it always did, with the same answers: a body that is not an object,
 * a PutEvents batch ({@code Entries}), a missing or non-text {@code source}/{@code detail-type}, an {@code id} that
 * is neither text nor null, an escape in a key or in one of these values, a key given twice in one object (at any
 * depth: the tree keeps the last value, event-ruler's text reader matches each), nesting deeper than the reader
 * allows, or anything after the object.
 *
 * @param id         the event's own id, or null when it has none (absent or JSON null)
 * @param strictJson whether the text was read strictly ({@link #readStrictly}), so that event-ruler surely reads it
 */
record EventEnvelope(String source, String detailType, String id, boolean strictJson) {

    /** The envelope of {@code body}, or null to have the intake read the tree. */
    static EventEnvelope read(String body, int maxDepth) {
        return new Reader(body, maxDepth, null).envelope();
    }

    /**
     * The envelope of {@code body}, as {@link #read} finds it, when the body is text that Jackson's reader with these limits
     * reads to the end: strict JSON (RFC 8259: no comments, quotes other than double, leading zeros or control
     * characters in strings; only the escapes JSON has), no string, name or number longer than the limits allow. It may
     * answer false for text Jackson would read (a body longer than the shortest string limit, a limit on the document
     * or its tokens), never an envelope for text it would refuse; null then. Event-ruler reads an event's text with
     * Jackson's default reader: text this accepts, event-ruler reads. It costs about what {@link #read} costs.
     */
    static EventEnvelope readStrictly(String body, int maxDepth, StreamReadConstraints limits) {
        if (limits.getMaxDocumentLength() > 0 || limits.getMaxTokenCount() > 0
                || body.length() > Math.min(limits.getMaxStringLength(), limits.getMaxNameLength())) {
            return null;
        }
        return new Reader(body, maxDepth, limits).envelope();
    }

    /** One pass over the text, a small recursive descent; a negative position means "declined". */
    private static final class Reader {

        private static final int OTHER = 0;
        private static final int SOURCE = 1;
        private static final int DETAIL_TYPE = 2;
        private static final int ID = 3;
        private static final int ENTRIES = 4;

        private final String text;
        private final int length;
        private final int maxDepth;
        /** When reading strictly, the limits of the reader whose acceptance it vouches for; else null. */
        private final StreamReadConstraints strict;
        /** Where the first backslash is, or -1: most events have none, and then no string needs a second look. */
        private final int firstBackslash;
        /** The keys of the objects open now, innermost last: where each starts and ends, and its hash. */
        private int[] keyStarts = new int[32];
        private int[] keyEnds = new int[32];
        private int[] keyHashes = new int[32];
        private int keys;
        private String source;
        private String detailType;
        private String id;

        Reader(String text, int maxDepth, StreamReadConstraints strict) {
            this.text = text;
            this.length = text.length();
            this.maxDepth = maxDepth;
            this.strict = strict;
            this.firstBackslash = text.indexOf('\\');
        }

        EventEnvelope envelope() {
            int at = blank(0);
            if (at >= length || text.charAt(at) != '{') {
                return null;
            }
            at = object(at, 1);
            if (at < 0 || blank(at) != length || source == null || detailType == null) {
                return null;
            }
            return new EventEnvelope(source, detailType, id, strict != null);
        }

        /**
         * Past the object opening at {@code at}. A key given twice declines: the tree keeps its last value, while
         * event-ruler would match each. So does a key with an escape, which could spell another key differently.
         */
        private int object(int at, int depth) {
            if (depth > maxDepth) {
                return -1;
            }
            int keysBefore = keys;
            int i = blank(at + 1);
            if (i < length && text.charAt(i) == '}') {
                return i + 1;
            }
            while (i < length && text.charAt(i) == '"') {
                int keyStart = i + 1;
                int keyEnd = stringEnd(i);
                if (keyEnd < 0 || hasBackslash(keyStart, keyEnd) || !newKey(keysBefore, keyStart, keyEnd)) {
                    return -1;
                }
                i = blank(keyEnd + 1);
                if (i >= length || text.charAt(i) != ':') {
                    return -1;
                }
                i = blank(i + 1);
                int kind = depth == 1 ? keyKind(keyStart, keyEnd) : OTHER;
                i = kind == OTHER ? value(i, depth) : envelopeValue(kind, i);
                i = i < 0 ? length : blank(i);
                if (i >= length) {
                    return -1;
                }
                char next = text.charAt(i);
                if (next == '}') {
                    keys = keysBefore;
                    return i + 1;
                }
                if (next != ',') {
                    return -1;
                }
                i = blank(i + 1);
            }
            return -1;
        }

        private int array(int at, int depth) {
            if (depth > maxDepth) {
                return -1;
            }
            int i = blank(at + 1);
            if (i < length && text.charAt(i) == ']') {
                return i + 1;
            }
            while (i < length) {
                i = value(i, depth);
                i = i < 0 ? length : blank(i);
                if (i >= length) {
                    return -1;
                }
                char next = text.charAt(i);
                if (next == ']') {
                    return i + 1;
                }
                if (next != ',') {
                    return -1;
                }
                i = blank(i + 1);
            }
            return -1;
        }

        /** Past the value at {@code at}, in a container at {@code depth}. */
        private int value(int at, int depth) {
            if (at >= length) {
                return -1;
            }
            char first = text.charAt(at);
            if (first == '"') {
                int end = stringEnd(at);
                return end < 0 ? -1 : end + 1;
            }
            if (first == '{') {
                return object(at, depth + 1);
            }
            if (first == '[') {
                return array(at, depth + 1);
            }
            return scalar(at);
        }

        /** Whether the key differs from the keys before it in its object; it is then one of them. */
        private boolean newKey(int keysBefore, int start, int end) {
            int hash = 0;
            for (int i = start; i < end; i++) {
                hash = 31 * hash + text.charAt(i);
            }
            int keyLength = end - start;
            for (int k = keysBefore; k < keys; k++) {
                if (keyHashes[k] == hash && keyEnds[k] - keyStarts[k] == keyLength && text.regionMatches(keyStarts[k], text, start, keyLength)) {
                    return false;
                }
            }
            if (keys == keyHashes.length) {
                keyStarts = Arrays.copyOf(keyStarts, 2 * keys);
                keyEnds = Arrays.copyOf(keyEnds, 2 * keys);
                keyHashes = Arrays.copyOf(keyHashes, 2 * keys);
            }
            keyStarts[keys] = start;
            keyEnds[keys] = end;
            keyHashes[keys++] = hash;
            return true;
        }

        /** Which top-level key lies between {@code start} and {@code end}. */
        private int keyKind(int start, int end) {
            return is(start, end, "source") ? SOURCE
                    : is(start, end, "detail-type") ? DETAIL_TYPE
                    : is(start, end, "id") ? ID
                    : is(start, end, "Entries") ? ENTRIES
                    : OTHER;
        }

        private boolean is(int start, int end, String name) {
            return end - start == name.length() && text.startsWith(name, start);
        }

        /** Past the value of an envelope key, kept; a batch, or a value the tree path must explain, declines. */
        private int envelopeValue(int key, int at) {
            if (key == ENTRIES || at >= length) {
                return -1;
            }
            if (text.charAt(at) == '"') {
                int end = stringEnd(at);
                return end >= 0 && keep(key, at + 1, end) ? end + 1 : -1;
            }
            if (key == ID && text.startsWith("null", at)) {
                return at + 4;
            }
            return -1; // a source or detail-type that is not text, an id that is a number: the tree path explains or copes
        }

        private boolean keep(int key, int start, int end) {
            if (hasBackslash(start, end)) {
                return false;
            }
            String value = text.substring(start, end);
            switch (key) {
                case SOURCE -> source = value;
                case DETAIL_TYPE -> detailType = value;
                default -> id = value;
            }
            return key == ID || !value.isBlank();
        }

        /** Past a number, true, false or null (event-ruler checks its spelling, unless reading strictly). */
        private int scalar(int at) {
            int i = at;
            while (i < length) {
                char c = text.charAt(i);
                if (c == ',' || c == '}' || c == ']' || c <= ' ') {
                    break;
                }
                i++;
            }
            if (i == at || strict != null && !isLiteralOrNumber(at, i)) {
                return -1;
            }
            return i;
        }

        /** Whether the text from {@code start} to {@code end} is true, false, null or a JSON number within the limit. */
        private boolean isLiteralOrNumber(int start, int end) {
            int size = end - start;
            if (size == 4 && (text.startsWith("true", start) || text.startsWith("null", start)) || size == 5 && text.startsWith("false", start)) {
                return true;
            }
            if (size > strict.getMaxNumberLength()) {
                return false;
            }
            // -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
            int i = start;
            if (i < end && text.charAt(i) == '-') {
                i++;
            }
            if (i < end && text.charAt(i) == '0') {
                i++;
            } else {
                int digits = digits(i, end);
                if (digits == i) {
                    return false;
                }
                i = digits;
            }
            if (i < end && text.charAt(i) == '.') {
                int digits = digits(i + 1, end);
                if (digits == i + 1) {
                    return false;
                }
                i = digits;
            }
            if (i < end && (text.charAt(i) == 'e' || text.charAt(i) == 'E')) {
                i++;
                if (i < end && (text.charAt(i) == '+' || text.charAt(i) == '-')) {
                    i++;
                }
                int digits = digits(i, end);
                if (digits == i) {
                    return false;
                }
                i = digits;
            }
            return i == end;
        }

        private int digits(int at, int end) {
            int i = at;
            while (i < end && text.charAt(i) >= '0' && text.charAt(i) <= '9') {
                i++;
            }
            return i;
        }

        /** The index of the quote closing the string that opens at {@code open}, or -1. */
        private int stringEnd(int open) {
            if (strict != null) {
                return strictStringEnd(open);
            }
            int quote = text.indexOf('"', open + 1);
            if (firstBackslash < 0 || quote < firstBackslash) {
                return quote;
            }
            return JsonText.closingQuote(text, open);
        }

        /** As {@link #stringEnd}, refusing a control character and any escape JSON does not have. */
        private int strictStringEnd(int open) {
            for (int i = open + 1; i < length; i++) {
                char c = text.charAt(i);
                if (c == '"') {
                    return i;
                }
                if (c < ' ') {
                    return -1;
                }
                if (c == '\\') {
                    i = escapeEnd(i);
                    if (i < 0) {
                        return -1;
                    }
                }
            }
            return -1;
        }

        /** The index of the last character of the escape at {@code backslash}, or -1 when JSON has no such escape. */
        private int escapeEnd(int backslash) {
            if (backslash + 1 >= length) {
                return -1;
            }
            char escaped = text.charAt(backslash + 1);
            if (escaped == 'u') {
                if (backslash + 5 >= length) {
                    return -1;
                }
                for (int i = backslash + 2; i <= backslash + 5; i++) {
                    if (Character.digit(text.charAt(i), 16) < 0 || text.charAt(i) > 'f') {
                        return -1;
                    }
                }
                return backslash + 5;
            }
            return "\"\\/bfnrt".indexOf(escaped) >= 0 ? backslash + 1 : -1;
        }

        private boolean hasBackslash(int start, int end) {
            if (firstBackslash < 0 || firstBackslash >= end) {
                return false;
            }
            int backslash = text.indexOf('\\', start);
            return backslash >= 0 && backslash < end;
        }

        private int blank(int at) {
            int i = at;
            while (i < length) {
                char c = text.charAt(i);
                if (c > ' ' || c != ' ' && c != '\n' && c != '\r' && c != '\t') {
                    break;
                }
                i++;
            }
            return i;
        }
    }
}
