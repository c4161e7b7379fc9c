package dev.skiff.orchestrator.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads a text/event-stream line by line, as the HTML standard's EventSource does: {@code event:}, {@code id:} and
 * {@code data:} fields (several data lines join with a newline), a line starting with ':' is a comment (a keep-alive),
 * and an empty line ends the event.
 */
final class ServerSentEvents {

    /** One event: its type ("message" when it named none), its id (null when it had none), its data. */
    record Event(String type, String id, String data) {
    }

    private String type;
    private String id;
    private final List<String> data = new ArrayList<>();

    /** The event this line completes, if it is the empty line that ends one with data or a type. */
    Optional<Event> read(String line) {
        if (line.isEmpty()) {
            Optional<Event> event = type == null && data.isEmpty() ? Optional.empty()
                    : Optional.of(new Event(type == null ? "message" : type, id, String.join("\n", data)));
            type = null;
            id = null;
            data.clear();
            return event;
        }
        if (line.startsWith(":")) {
            return Optional.empty();
        }
        int colon = line.indexOf(':');
        String field = colon < 0 ? line : line.substring(0, colon);
        String value = colon < 0 ? "" : line.substring(colon + 1);
        value = value.startsWith(" ") ? value.substring(1) : value;
        switch (field) {
            case "event" -> type = value;
            case "id" -> id = value;
            case "data" -> data.add(value);
            default -> {
                // retry and unknown fields: nothing to do for a command-line reader
            }
        }
        return Optional.empty();
    }
}
