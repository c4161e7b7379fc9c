package dev.skiff.trigger;

/** A notification or queue message this function cannot turn into events; retrying will not help. */
final class UnreadableMessageException extends RuntimeException {

    UnreadableMessageException(String message) {
        super(message, null, false, false);
    }
}
