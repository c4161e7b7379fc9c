package dev.skiff.orchestrator.domain;

/** A request body over the size its endpoint accepts. */
public class PayloadTooLargeException extends SkiffException {

    public PayloadTooLargeException(String message) {
        super(message);
    }
}
