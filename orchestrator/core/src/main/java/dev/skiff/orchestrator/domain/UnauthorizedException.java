package dev.skiff.orchestrator.domain;

/** A request without a valid bearer token, where the API requires one. */
public class UnauthorizedException extends SkiffException {

    public UnauthorizedException(String message) {
        super(message);
    }
}
