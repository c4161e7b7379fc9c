package dev.skiff.orchestrator.app;

/**
 * The top-level fields the intake needs of one plain EventBridge event ({@code source}, {@code detail-type},
 * {@code id}), read straight from its text, so that an event matching no job is never built into a tree.
 *
 * <p>It is not a JSON parser: it only finds the top-level keys and steps over nested values, and event-ruler, which
 * reads the same text to match it, refuses text that is not JSON. It declines ({@code null}) whatever it cannot read
 * plainly, and the intake then reads the tree as it always did, with the same answers: a body that is not an object,
 * a PutEvents batch ({@code Entries}), a missing or non-text {@code source}/{@code detail-type}, an {@code id} that
 * is neither text nor null, an escape in a key or in one of these values, one of these keys given twice, nesting
 * deeper than the reader allows, or anything after the object.
 *
 * @param id the event's own id, or null when it has none (absent or JSON null)
 */
record EventEnvelope(String source, String detailType, String id) {

    /** The envelope of {@code body}, or null to have the intake read the tree. */
    static EventEnvelope read(String body, int maxDepth) {
        return new Reader(body, maxDepth).envelope();
    }

    /** One pass over the text; a negative position means "declined". */
    private static final class Reader {

        private final String text;
        private final int length;
        private final int maxDepth;
        /** Where the first backslash is, or -1: most events have none, and then no string needs a second look. */
        private final int firstBackslash;
        private String source;
        private String detailType;
        private String id;
        private boolean idSeen;

        Reader(String text, int maxDepth) {
            this.text = text;
            this.length = text.length();
            this.maxDepth = maxDepth;
            this.firstBackslash = text.indexOf('\\');
        }

        EventEnvelope envelope() {
            int at = blank(0);
            if (at >= length || text.charAt(at) != '{' || maxDepth < 1) {
                return null;
            }
            at = blank(at + 1);
            if (at < length && text.charAt(at) == '}') {
                at++;
            } else {
                at = members(at);
            }
            if (at < 0 || blank(at) != length || source == null || detailType == null) {
                return null;
            }
            return new EventEnvelope(source, detailType, id);
        }

        /** The top-level members from {@code at}, to just past the closing brace. */
        private int members(int at) {
            while (at >= 0 && at < length) {
                if (text.charAt(at) != '"') {
                    return -1;
                }
                int keyStart = at + 1;
                int keyEnd = stringEnd(at);
                if (keyEnd < 0 || hasBackslash(keyStart, keyEnd)) {
                    return -1;
                }
                at = blank(keyEnd + 1);
                if (at >= length || text.charAt(at) != ':') {
                    return -1;
                }
                at = value(keyKind(keyStart, keyEnd), blank(at + 1));
                if (at < 0) {
                    return -1;
                }
                at = blank(at);
                if (at >= length) {
                    return -1;
                }
                char next = text.charAt(at);
                if (next == '}') {
                    return at + 1;
                }
                if (next != ',') {
                    return -1;
                }
                at = blank(at + 1);
            }
            return -1;
        }

        private static final int OTHER = 0;
        private static final int SOURCE = 1;
        private static final int DETAIL_TYPE = 2;
        private static final int ID = 3;
        private static final int ENTRIES = 4;

        /** Which key lies between {@code start} and {@code end}. */
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

        /** Steps over the value at {@code at}, keeping it when {@code key} is one the intake needs. */
        private int value(int key, int at) {
            if (key == ENTRIES || at >= length) {
                return -1;
            }
            char first = text.charAt(at);
            if (first == '"') {
                int end = stringEnd(at);
                if (end < 0) {
                    return -1;
                }
                if (key != OTHER && !keep(key, at + 1, end)) {
                    return -1;
                }
                return end + 1;
            }
            if (key == ID && text.startsWith("null", at) && !idSeen) {
                idSeen = true;
                return at + 4;
            }
            if (key != OTHER) {
                return -1; // a source or detail-type that is not text, an id that is a number: the tree path explains or copes
            }
            return first == '{' || first == '[' ? nested(at) : scalar(at);
        }

        private boolean keep(int key, int start, int end) {
            if (hasBackslash(start, end)) {
                return false;
            }
            String value = text.substring(start, end);
            switch (key) {
                case SOURCE -> {
                    if (source != null || value.isBlank()) {
                        return false;
                    }
                    source = value;
                }
                case DETAIL_TYPE -> {
                    if (detailType != null || value.isBlank()) {
                        return false;
                    }
                    detailType = value;
                }
                default -> {
                    if (idSeen) {
                        return false;
                    }
                    idSeen = true;
                    id = value;
                }
            }
            return true;
        }

        /** Past a number, true, false or null (event-ruler checks its spelling). */
        private int scalar(int at) {
            int i = at;
            while (i < length) {
                char c = text.charAt(i);
                if (c == ',' || c == '}' || c == ']' || c <= ' ') {
                    break;
                }
                i++;
            }
            return i == at ? -1 : i;
        }

        /** Past the object or array opening at {@code at}, strings inside stepped over whole. */
        private int nested(int at) {
            int depth = 1; // the top-level object
            int i = at;
            while (i < length) {
                char c = text.charAt(i);
                if (c == '"') {
                    i = stringEnd(i);
                    if (i < 0) {
                        return -1;
                    }
                } else if (c == '{' || c == '[') {
                    if (++depth > maxDepth) {
                        return -1;
                    }
                } else if (c == '}' || c == ']') {
                    if (--depth == 1) {
                        return i + 1;
                    }
                }
                i++;
            }
            return -1;
        }

        /** The index of the quote closing the string that opens at {@code open}, or -1. */
        private int stringEnd(int open) {
            int quote = text.indexOf('"', open + 1);
            if (firstBackslash < 0 || quote < firstBackslash) {
                return quote;
            }
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
                if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
                    break;
                }
                i++;
            }
            return i;
        }
    }
}
