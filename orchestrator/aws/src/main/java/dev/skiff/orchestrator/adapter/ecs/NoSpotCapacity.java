package dev.skiff.orchestrator.adapter.ecs;

/** RunTask on FARGATE_SPOT answered that capacity is unavailable; the launcher decides what follows. */
final class NoSpotCapacity extends RuntimeException {

    private final String reason;

    NoSpotCapacity(String reason) {
        super(reason, null, false, false);
        this.reason = reason;
    }

    String reason() {
        return reason;
    }
}
