package dev.skiff.orchestrator.app;

import com.fasterxml.jackson.databind.JsonNode;
import dev.skiff.jobs.NotifyChannel;
import dev.skiff.jobs.RunEvents;
import dev.skiff.orchestrator.port.Notification;
import dev.skiff.orchestrator.port.NotificationSender;
import java.time.Duration;
import org.jboss.logging.Logger;

/** The {@code log} channel: one INFO line per notification, with the job, the run, its status and its error. */
public final class LogNotificationSender implements NotificationSender {

    private static final Logger LOG = Logger.getLogger(LogNotificationSender.class);

    @Override
    public NotifyChannel.Kind kind() {
        return NotifyChannel.Kind.LOG;
    }

    @Override
    public void send(NotifyChannel channel, Notification notification, Duration timeout) {
        JsonNode detail = notification.detail();
        LOG.infof("notification: job %s run %s %s (status %s, error %s): %s", notification.job(), notification.runId(),
                notification.kind().detailType(), detail.path(RunEvents.STATUS).asText("?"),
                detail.path(RunEvents.ERROR).asText("none"), notification.text());
    }
}
