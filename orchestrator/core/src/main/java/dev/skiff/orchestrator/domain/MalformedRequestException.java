package dev.skiff.orchestrator.domain;

/** A request body that cannot be read at all (not JSON, wrong shape). */
public class MalformedRequestException extends SkiffException {

    public MalformedRequestException(String message) {
        super(message);
    }
}
