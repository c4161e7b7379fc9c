package dev.skiff.orchestrator.adapter.ecs;

import java.util.Optional;

/** Fargate's two capacity providers, and how each appears on an attempt ({@code LaunchedTask.ranOn}). */
enum CapacityProvider {
    FARGATE_SPOT("FARGATE_SPOT", "spot"),
    FARGATE("FARGATE", "on-demand");

    private final String ecsName;
    private final String ranOn;

    CapacityProvider(String ecsName, String ranOn) {
        this.ecsName = ecsName;
        this.ranOn = ranOn;
    }

    String ecsName() {
        return ecsName;
    }

    String ranOn() {
        return ranOn;
    }

    static Optional<CapacityProvider> named(String ecsName) {
        for (CapacityProvider p : values()) {
            if (p.ecsName.equals(ecsName)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }
}
