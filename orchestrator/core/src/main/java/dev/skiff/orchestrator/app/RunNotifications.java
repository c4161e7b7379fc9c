package dev.skiff.orchestrator.app;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.jobs.JobSpec;
import dev.skiff.jobs.NotifyChannel;
import dev.skiff.jobs.NotifyOn;
import dev.skiff.jobs.RunEvents;
import dev.skiff.orchestrator.port.Notification;
import dev.skiff.orchestrator.port.NotificationFailure;
import dev.skiff.orchestrator.port.NotificationOutcomes;
import dev.skiff.orchestrator.port.NotificationSender;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * A job's {@code notify} section at work: each published run event is told to the channels the job's current spec
 * names for its moment ({@code failed}, {@code timed-out}, ...; a start tells no one). The channels of one event are
 * tried in parallel, each with its own retries, and the call returns once every one was delivered or given up, so the
 * event is marked done only then. A channel given up is logged (job, run, channel as {@link NotifyChannel#shown()},
 * reason) and counted; it never fails the event.
 */
public final class RunNotifications implements RunEventListener, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(RunNotifications.class);

    private final Function<String, Optional<JobSpec>> jobs;
    private final Map<NotifyChannel.Kind, NotificationSender> senders = new EnumMap<>(NotifyChannel.Kind.class);
    private final NotificationOutcomes outcomes;
    private final NotificationRetries retries;
    private final ExecutorService deliveries;

    /**
     * @param jobs       the current spec of a job, by name
     * @param senders    one per channel kind; a kind without one is never delivered (logged and counted as failed)
     * @param deliveries runs each channel's delivery, so a slow receiver does not hold back the others; shut down by
     *                   {@link #close}
     */
    public RunNotifications(Function<String, Optional<JobSpec>> jobs, List<NotificationSender> senders,
                            NotificationOutcomes outcomes, NotificationRetries retries, ExecutorService deliveries) {
        this.jobs = jobs;
        senders.forEach(sender -> this.senders.put(sender.kind(), sender));
        this.outcomes = outcomes;
        this.retries = retries;
        this.deliveries = deliveries;
    }

    @Override
    public void published(ObjectNode event) {
        String detailType = event.path("detail-type").asText("");
        Optional<NotifyOn> moment = Arrays.stream(RunEvents.Kind.values())
                .filter(kind -> kind.detailType().equals(detailType)).findFirst().flatMap(NotifyOn::of);
        if (moment.isEmpty() || !(event.get("detail") instanceof ObjectNode detail)) {
            return;
        }
        String job = detail.path(RunEvents.JOB).asText("");
        List<NotifyChannel> channels = jobs.apply(job).map(spec -> spec.notifications().on(moment.get())).orElse(List.of());
        if (channels.isEmpty()) {
            return;
        }
        RunEvents.Kind kind = moment.get().event();
        var notification = new Notification(kind, job, detail.path(RunEvents.RUN_ID).asText(""),
                detail.path(RunEvents.EVENT_ID).asText(""), NotificationText.of(kind, detail), detail);
        CompletableFuture<?>[] sent = channels.stream().map(channel -> deliverAsync(channel, notification))
                .toArray(CompletableFuture[]::new);
        try {
            CompletableFuture.allOf(sent).join();
        } catch (CompletionException e) {
            // Only an interruption escapes a delivery: the event is handed over again after the restart.
            throw new IllegalStateException("notifications of " + notification.eventId() + " interrupted", e.getCause());
        }
    }

    private CompletableFuture<Void> deliverAsync(NotifyChannel channel, Notification notification) {
        try {
            return CompletableFuture.runAsync(() -> deliver(channel, notification), deliveries);
        } catch (RejectedExecutionException shuttingDown) {
            deliver(channel, notification);
            return CompletableFuture.completedFuture(null);
        }
    }

    /** Tries the channel until it is delivered, fails for good, or has had its last attempt. */
    void deliver(NotifyChannel channel, Notification notification) {
        NotificationSender sender = senders.get(channel.kind());
        if (sender == null) {
            failed(channel, notification, 0, "no " + channel.kind().name().toLowerCase(java.util.Locale.ROOT)
                    + " sender in this mode");
            return;
        }
        for (int attempt = 1; ; attempt++) {
            try {
                sender.send(channel, notification, retries.attemptTimeout());
                outcomes.counted(channel.kind(), NotificationOutcomes.Outcome.DELIVERED);
                LOG.debugf("notified %s of %s", channel.shown(), notification.eventId());
                return;
            } catch (NotificationFailure e) {
                if (!e.retryable() || attempt == retries.attempts()) {
                    failed(channel, notification, attempt, e.getMessage());
                    return;
                }
                LOG.debugf("notification of %s to %s: attempt %d failed (%s)", notification.eventId(), channel.shown(),
                        attempt, shown(channel, e.getMessage()));
            } catch (RuntimeException e) {
                // A sender's own bug: logged like a failure, never thrown at the relay (which would re-notify all).
                if (attempt == retries.attempts()) {
                    failed(channel, notification, attempt, e.toString());
                    return;
                }
            }
            pause(retries.delays().get(attempt - 1));
        }
    }

    private void failed(NotifyChannel channel, Notification notification, int attempts, String reason) {
        LOG.errorf("notification not delivered: job %s run %s (%s) to %s after %d attempt(s): %s", notification.job(),
                notification.runId(), notification.kind().detailType(), channel.shown(), attempts, shown(channel, reason));
        outcomes.counted(channel.kind(), NotificationOutcomes.Outcome.FAILED);
    }

    /** The reason as it may be logged: a webhook URL in it (an exception may quote it) loses its query. */
    private static String shown(NotifyChannel channel, String reason) {
        String text = reason == null ? "no reason given" : reason;
        return channel.kind() == NotifyChannel.Kind.WEBHOOK ? text.replace(channel.target(), channel.shown()) : text;
    }

    private static void pause(Duration delay) {
        try {
            Thread.sleep(delay.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CompletionException(e);
        }
    }

    /** Lets deliveries under way finish; an event whose deliveries had not all ended is handed over after the restart. */
    @Override
    public void close() {
        deliveries.shutdown();
    }
}
