package dev.skiff.orchestrator.domain;

/** Base of every error Skiff raises on purpose; its message is written for the person who sees it. */
public class SkiffException extends RuntimeException {

    public SkiffException(String message) {
        super(message);
    }

    public SkiffException(String message, Throwable cause) {
        super(message, cause);
    }
}
