package dev.skiff.orchestrator.adapter.metrics;

import dev.skiff.jobs.NotifyChannel;
import dev.skiff.orchestrator.port.NotificationOutcomes;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Locale;

/** Notifications for {@code /q/metrics}: {@code skiff_notifications_total{channel=webhook|sns|log, outcome=delivered|failed}}. */
public final class MicrometerNotificationOutcomes implements NotificationOutcomes {

    private final MeterRegistry registry;

    public MicrometerNotificationOutcomes(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void counted(NotifyChannel.Kind channel, Outcome outcome) {
        registry.counter("skiff.notifications", "channel", channel.name().toLowerCase(Locale.ROOT),
                "outcome", outcome.name().toLowerCase(Locale.ROOT)).increment();
    }
}
