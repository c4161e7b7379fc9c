package dev.skiff.jobs;

/** An event that is not a JSON object, so no pattern can be matched against it. */
public class InvalidEventException extends RuntimeException {

    public InvalidEventException(String message) {
        super(message);
    }

    public InvalidEventException(String message, Throwable cause) {
        super(message, cause);
    }
}
