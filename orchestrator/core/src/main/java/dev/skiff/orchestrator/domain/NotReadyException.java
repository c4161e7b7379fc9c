package dev.skiff.orchestrator.domain;

/** The service cannot answer yet (it is starting and has not read the job registry); the same request later can. */
public class NotReadyException extends SkiffException {

    public NotReadyException(String message) {
        super(message);
    }
}
