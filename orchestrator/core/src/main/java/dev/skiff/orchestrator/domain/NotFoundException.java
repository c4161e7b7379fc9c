package dev.skiff.orchestrator.domain;

/** A job or run that does not exist. */
public class NotFoundException extends SkiffException {

    public NotFoundException(String message) {
        super(message);
    }

    public static NotFoundException job(String name) {
        return new NotFoundException("no job named '" + name + "' is registered");
    }

    public static NotFoundException run(String runId) {
        return new NotFoundException("no run with id '" + runId + "'");
    }
}
