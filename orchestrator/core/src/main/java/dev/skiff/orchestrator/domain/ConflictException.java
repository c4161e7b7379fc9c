package dev.skiff.orchestrator.domain;

/** The request does not fit the current state (cancelling a run that already ended). */
public class ConflictException extends SkiffException {

    public ConflictException(String message) {
        super(message);
    }
}
