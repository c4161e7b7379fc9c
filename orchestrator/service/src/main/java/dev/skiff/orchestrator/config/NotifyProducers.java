package dev.skiff.orchestrator.config;

import dev.skiff.orchestrator.adapter.metrics.MicrometerNotificationOutcomes;
import dev.skiff.orchestrator.adapter.notify.WebhookSender;
import dev.skiff.orchestrator.adapter.sns.SnsNotificationSender;
import dev.skiff.orchestrator.app.JobCatalog;
import dev.skiff.orchestrator.app.LogNotificationSender;
import dev.skiff.orchestrator.app.NotificationRetries;
import dev.skiff.orchestrator.app.RunNotifications;
import dev.skiff.orchestrator.domain.SkiffException;
import dev.skiff.jobs.NotifyChannel;
import dev.skiff.orchestrator.port.NotificationFailure;
import dev.skiff.orchestrator.port.NotificationSender;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.enterprise.inject.Typed;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.jboss.logging.Logger;

/**
 * Jobs' notifications, one {@link RunNotifications} for either engine (each hands it every published run event): the
 * log and webhooks everywhere, SNS topics where an AWS client can be built (Step Functions, or the Fargate launcher);
 * elsewhere an SNS channel is logged and counted as not deliverable.
 */
@ApplicationScoped
class NotifyProducers {

    private static final Logger LOG = Logger.getLogger(NotifyProducers.class);

    @Produces
    @Singleton
    @Typed({RunNotifications.class, dev.skiff.orchestrator.app.RunEventListener.class})
    RunNotifications notifications(NotifyConfig config, ModeChoice choice, JobCatalog catalog, MeterRegistry registry,
                                   Instance<AwsClients> aws, Clock clock) {
        List<NotificationSender> senders = new ArrayList<>();
        senders.add(new LogNotificationSender());
        senders.add(webhooks(config, choice, clock));
        senders.add(hasAws(choice) ? new SnsNotificationSender(aws.get().sns()) : new Undeliverable(NotifyChannel.Kind.SNS,
                "SNS topics are notified only where Skiff has AWS (skiff.engine=stepfunctions or skiff.launcher=fargate)"));
        ExecutorService deliveries = Executors.newFixedThreadPool(config.concurrency(), runnable -> {
            Thread thread = new Thread(runnable, "skiff-notifications");
            thread.setDaemon(true);
            return thread;
        });
        return new RunNotifications(catalog::find, senders, new MicrometerNotificationOutcomes(registry), retries(config),
                deliveries);
    }

    void close(@Disposes RunNotifications notifications) {
        notifications.close();
    }

    static WebhookSender webhooks(NotifyConfig config, ModeChoice choice, Clock clock) {
        if (config.webhookSecret().filter(s -> !s.isBlank()).isEmpty()) {
            LOG.info("skiff.notify.webhook-secret is not set: webhook notifications are sent unsigned");
        }
        return WebhookSender.create(config.webhookSecret().filter(s -> !s.isBlank()), allowPrivateAddresses(config, choice),
                config.attemptTimeout(), clock);
    }

    /** Private addresses are a laptop's receivers with the embedded engine, the VPC's insides with Step Functions. */
    static boolean allowPrivateAddresses(NotifyConfig config, ModeChoice choice) {
        return config.allowPrivateAddresses().orElse(choice.engine() == ModeChoice.Engine.EMBEDDED);
    }

    static NotificationRetries retries(NotifyConfig config) {
        try {
            return new NotificationRetries(config.retryDelays(), config.attemptTimeout());
        } catch (IllegalArgumentException e) {
            throw new SkiffException("skiff.notify: " + e.getMessage(), e);
        }
    }

    private static boolean hasAws(ModeChoice choice) {
        return choice.engine() == ModeChoice.Engine.STEP_FUNCTIONS || choice.launcher() == ModeChoice.Launcher.FARGATE;
    }

    /** A kind this mode has no way to deliver: each notification fails at once, with the reason. */
    private record Undeliverable(NotifyChannel.Kind kind, String reason) implements NotificationSender {
        @Override
        public void send(NotifyChannel channel, dev.skiff.orchestrator.port.Notification notification,
                         java.time.Duration timeout) {
            throw NotificationFailure.permanent(reason);
        }
    }
}
