package dev.skiff.orchestrator.domain;

/** An authenticated team asking to change or run a job another team owns. */
public class ForbiddenException extends SkiffException {

    public ForbiddenException(String message) {
        super(message);
    }
}
