package dev.skiff.orchestrator.adapter.notify;

import java.util.function.Supplier;

/**
 * A value built by the first caller that asks for it, once, and handed to every caller after: for what is costly to
 * build and may never be needed.
 */
final class OnFirstUse<T> implements Supplier<T> {

    private final Supplier<T> build;
    private volatile T value;

    OnFirstUse(Supplier<T> build) {
        this.build = build;
    }

    @Override
    public T get() {
        T built = value;
        if (built == null) {
            synchronized (this) {
                built = value;
                if (built == null) {
                    built = build.get();
                    value = built;
                }
            }
        }
        return built;
    }
}
