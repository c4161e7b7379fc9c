package dev.skiff.orchestrator.port;

import dev.skiff.jobs.NotifyChannel;
import java.time.Duration;

/** Delivers notifications to the channels of one kind: webhooks, SNS topics or the log. One attempt per call. */
public interface NotificationSender {

    NotifyChannel.Kind kind();

    /**
     * Delivers once, or fails within about {@code timeout}.
     *
     * @throws NotificationFailure when not delivered, saying whether to try again
     */
    void send(NotifyChannel channel, Notification notification, Duration timeout);
}
