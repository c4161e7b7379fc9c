package dev.skiff.orchestrator.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.jobs.JobSpec;
import dev.skiff.jobs.NotifyChannel;
import dev.skiff.jobs.RunEvents;
import dev.skiff.orchestrator.TestSpecs;
import dev.skiff.orchestrator.port.Notification;
import dev.skiff.orchestrator.port.NotificationFailure;
import dev.skiff.orchestrator.port.NotificationOutcomes;
import dev.skiff.orchestrator.port.NotificationSender;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RunNotificationsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final NotificationRetries FAST =
            new NotificationRetries(List.of(Duration.ofMillis(10), Duration.ofMillis(20)), Duration.ofSeconds(1));

    private final ExecutorService deliveries = Executors.newFixedThreadPool(4);
    private final List<String> counted = Collections.synchronizedList(new ArrayList<>());
    private final NotificationOutcomes outcomes = (channel, outcome) -> counted.add(channel + "/" + outcome);

    @AfterEach
    void stop() {
        deliveries.shutdownNow();
    }

    private static final JobSpec ETL = TestSpecs.shell("etl", "exit 3", """
            notify:
              failed: ["https://hooks.example.com/a?token=secret", "log"]
              succeeded: ["https://hooks.example.com/ok"]
              deadline-missed: ["arn:aws:sns:eu-central-1:123456789012:skiff-alerts"]
            """);

    private static ObjectNode event(RunEvents.Kind kind, String job) {
        ObjectNode event = JSON.createObjectNode().put("detail-type", kind.detailType()).put("source", RunEvents.SOURCE);
        event.putObject("detail").put("job", job).put("runId", job + "-1").put("status", kind.name())
                .put("skiffEventId", RunEvents.eventId(job + "-1", kind)).put("error", "exit code 3");
        return event;
    }

    /** A sender that records what it was given and answers with the scripted failures, then delivers. */
    private static final class Scripted implements NotificationSender {
        final NotifyChannel.Kind kind;
        final List<NotificationFailure> failures;
        final AtomicInteger calls = new AtomicInteger();
        final List<String> sent = Collections.synchronizedList(new ArrayList<>());

        Scripted(NotifyChannel.Kind kind, NotificationFailure... failures) {
            this.kind = kind;
            this.failures = List.of(failures);
        }

        @Override
        public NotifyChannel.Kind kind() {
            return kind;
        }

        @Override
        public void send(NotifyChannel channel, Notification notification, Duration timeout) {
            int call = calls.getAndIncrement();
            sent.add(channel.target() + " " + notification.text());
            if (call < failures.size()) {
                throw failures.get(call);
            }
        }
    }

    private RunNotifications notifications(Function<String, Optional<JobSpec>> jobs, NotificationSender... senders) {
        return new RunNotifications(jobs, List.of(senders), outcomes, FAST, deliveries);
    }

    private static Function<String, Optional<JobSpec>> only(JobSpec spec) {
        return name -> name.equals(spec.name()) ? Optional.of(spec) : Optional.empty();
    }

    @Test
    void shouldTellEachChannelOfTheMomentOnceWithTheTextAndCountIt() {
        var webhooks = new Scripted(NotifyChannel.Kind.WEBHOOK);
        var log = new Scripted(NotifyChannel.Kind.LOG);

        notifications(only(ETL), webhooks, log).published(event(RunEvents.Kind.FAILED, "etl"));

        assertThat(webhooks.sent).containsExactly("https://hooks.example.com/a?token=secret ✖ job etl run etl-1 FAILED: exit code 3");
        assertThat(log.sent).hasSize(1);
        assertThat(counted).containsExactlyInAnyOrder("WEBHOOK/DELIVERED", "LOG/DELIVERED");
    }

    @Test
    void shouldTellNoOneOfAStartOrOfAMomentTheJobDoesNotNameOrOfAnUnknownJob() {
        var webhooks = new Scripted(NotifyChannel.Kind.WEBHOOK);
        var notifications = notifications(only(ETL), webhooks);

        notifications.published(event(RunEvents.Kind.STARTED, "etl"));
        notifications.published(event(RunEvents.Kind.TIMED_OUT, "etl"));
        notifications.published(event(RunEvents.Kind.FAILED, "gone"));

        assertThat(webhooks.calls).hasValue(0);
        assertThat(counted).isEmpty();
    }

    @Test
    void shouldRetryARetryableFailureUntilDelivered() {
        var webhooks = new Scripted(NotifyChannel.Kind.WEBHOOK, NotificationFailure.retryable("answered 500"),
                NotificationFailure.retryable("answered 503"));

        notifications(only(ETL), webhooks).published(event(RunEvents.Kind.SUCCEEDED, "etl"));

        assertThat(webhooks.calls).hasValue(3);
        assertThat(counted).containsExactly("WEBHOOK/DELIVERED");
    }

    @Test
    void shouldGiveUpAfterTheLastAttemptAndCountTheFailure() {
        var webhooks = new Scripted(NotifyChannel.Kind.WEBHOOK, NotificationFailure.retryable("answered 500"),
                NotificationFailure.retryable("answered 500"), NotificationFailure.retryable("answered 500"),
                NotificationFailure.retryable("answered 500"));

        notifications(only(ETL), webhooks).published(event(RunEvents.Kind.SUCCEEDED, "etl"));

        assertThat(webhooks.calls).hasValue(3);
        assertThat(counted).containsExactly("WEBHOOK/FAILED");
    }

    @Test
    void shouldNotRetryAPermanentFailure() {
        var webhooks = new Scripted(NotifyChannel.Kind.WEBHOOK, NotificationFailure.permanent("answered 404"));

        notifications(only(ETL), webhooks).published(event(RunEvents.Kind.SUCCEEDED, "etl"));

        assertThat(webhooks.calls).hasValue(1);
        assertThat(counted).containsExactly("WEBHOOK/FAILED");
    }

    @Test
    void shouldCountAChannelOfAKindThisModeCannotDeliverAsFailedWithoutThrowing() {
        notifications(only(ETL)).published(event(RunEvents.Kind.DEADLINE_MISSED, "etl"));

        assertThat(counted).containsExactly("SNS/FAILED");
    }

    @Test
    void shouldNeverThrowForASenderThatThrowsSomethingElse() {
        NotificationSender broken = new NotificationSender() {
            @Override
            public NotifyChannel.Kind kind() {
                return NotifyChannel.Kind.WEBHOOK;
            }

            @Override
            public void send(NotifyChannel channel, Notification notification, Duration timeout) {
                throw new IllegalStateException("bug at " + channel.target());
            }
        };

        notifications(only(ETL), broken).published(event(RunEvents.Kind.SUCCEEDED, "etl"));

        assertThat(counted).containsExactly("WEBHOOK/FAILED");
    }

    @Test
    void shouldDeliverTheChannelsOfAnEventInParallel() throws Exception {
        JobSpec two = TestSpecs.shell("two", "exit 3", "notify: {failed: [\"https://a.example.com/\", \"https://b.example.com/\"]}");
        var both = new CountDownLatch(2);
        Map<String, Boolean> sawTheOther = new ConcurrentHashMap<>();
        NotificationSender meeting = new NotificationSender() {
            @Override
            public NotifyChannel.Kind kind() {
                return NotifyChannel.Kind.WEBHOOK;
            }

            @Override
            public void send(NotifyChannel channel, Notification notification, Duration timeout) {
                both.countDown();
                try {
                    // Each waits for the other: only parallel deliveries both get through.
                    sawTheOther.put(channel.target(), both.await(5, TimeUnit.SECONDS));
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }
        };

        notifications(only(two), meeting).published(event(RunEvents.Kind.FAILED, "two"));

        assertThat(sawTheOther).containsOnly(Map.entry("https://a.example.com/", true), Map.entry("https://b.example.com/", true));
    }
}
