package dev.skiff.orchestrator.adapter.sqs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.skiff.jobs.JobSpec;
import dev.skiff.orchestrator.TestSpecs;
import dev.skiff.orchestrator.adapter.embedded.EmbeddedRunEngine;
import dev.skiff.orchestrator.adapter.embedded.H2RunStore;
import dev.skiff.orchestrator.adapter.sqs.SqsIntakeHandler.Outcome;
import dev.skiff.orchestrator.app.EventIntake;
import dev.skiff.orchestrator.app.JobCatalog;
import dev.skiff.orchestrator.app.RegisteredJob;
import dev.skiff.orchestrator.app.RunDispatcher;
import dev.skiff.orchestrator.domain.SkiffException;
import dev.skiff.orchestrator.port.RecordingTaskLauncher;
import dev.skiff.orchestrator.port.RunEngine;
import dev.skiff.orchestrator.port.RunEngine.RunQuery;
import dev.skiff.orchestrator.port.RunListener;
import dev.skiff.workflows.Run;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.eventbridge.EventBridgeAsyncClient;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * The SQS intake's handler on real queues (moto), over the real event intake, dispatcher and embedded
 * engine (in-memory H2, a launcher that runs nothing). Messages are received as the connector receives
 * them; the handler alone decides whether they are deleted, retried or dead-lettered.
 */
class SqsIntakeHandlerTest {

    /** Needs the object key, which its trigger maps from the event. */
    static final JobSpec ON_UPLOAD = TestSpecs.shell("on-upload", "echo $KEY", """
            parameters:
              KEY: {required: true}
            triggers:
              events:
                - pattern:
                    source: [aws.s3]
                    detail-type: [Object Created]
                    detail:
                      bucket: {name: [landing]}
                  parameters:
                    KEY: $.detail.object.key""");

    private static final Instant NOW = Instant.parse("2026-11-26T10:00:00Z");
    /** Long enough that a message the handler hides never comes back within a test. */
    private static final Duration HIDDEN = Duration.ofSeconds(30);
    /** Redelivers at once: how a test makes SQS deliver the same message again. */
    private static final Duration VISIBLE_AGAIN = Duration.ZERO;

    private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    private final JobCatalog catalog = new JobCatalog();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    /** One client for the class: closing one waits out its event loop's quiet period. */
    private static SqsAsyncClient sqs;
    private H2RunStore store;
    private RunEngine engine;
    private SqsIntakeOptions options;

    @BeforeAll
    static void connect() {
        sqs = MotoAws.sqs();
    }

    @AfterAll
    static void disconnect() {
        sqs.close();
    }

    @BeforeEach
    void createQueuesAndEngine() {
        options = SqsIntakeOptions.of(MotoAws.createQueue(sqs, "intake"), MotoAws.createQueue(sqs, "intake-dlq"));
        store = H2RunStore.inMemory("sqs-" + UUID.randomUUID());
        engine = new EmbeddedRunEngine(store, new RecordingTaskLauncher(clock), new RunListener() { }, clock, 8);
        catalog.replace(List.of(new RegisteredJob(ON_UPLOAD, "on-upload.yaml")), List.of());
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    private SqsIntakeHandler handler() {
        return handler(engine);
    }

    private SqsIntakeHandler handler(RunEngine startsOn) {
        var intake = new EventIntake(catalog, new RunDispatcher(catalog, startsOn), new ObjectMapper(), clock);
        return new SqsIntakeHandler(intake, new ObjectMapper(), SqsIntakeParts.on(sqs, options, registry), clock);
    }

    static String s3Event(String id, String bucket, String key) {
        return """
                {"version": "0", "id": "%s", "detail-type": "Object Created", "source": "aws.s3",
                 "account": "123456789012", "time": "2026-11-26T09:59:58Z", "region": "us-east-1", "resources": [],
                 "detail": {"bucket": {"name": "%s"}, "object": {"key": "%s"}}}""".formatted(id, bucket, key);
    }

    private void send(String body) {
        sqs.sendMessage(r -> r.queueUrl(options.queueUrl()).messageBody(body)).join();
    }

    private Message receiveOne(Duration visibility) {
        List<Message> received = MotoAws.receive(sqs, options, visibility, Duration.ofSeconds(10));
        assertThat(received).hasSize(1);
        return received.get(0);
    }

    private List<Run> runs() {
        return engine.list(new RunQuery(Optional.empty(), Set.of(), Optional.empty(), 100));
    }

    private double counter(String name, String... tags) {
        var counter = registry.find(name).tags(tags).counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void shouldStartTheRunWithMappedParametersWhenAnEventBridgeRuleDeliversAnS3Event() {
        // Given a bus whose rule sends S3 "Object Created" events to the intake queue
        try (EventBridgeAsyncClient events = MotoAws.events()) {
            String bus = EventBridgeRoute.toQueue(events, sqs, options.queueUrl(), "skiff-" + UUID.randomUUID());

            // When an event is put on the bus and the handler gets what the queue received
            EventBridgeRoute.putS3ObjectCreated(events, bus, "landing", "incoming/2026/11/26/orders.csv");
            Outcome outcome = handler().handle(receiveOne(HIDDEN));

            // Then the job's run started with the key from the event, and the message is gone
            assertThat(outcome).isEqualTo(Outcome.STARTED);
            assertThat(runs()).singleElement().satisfies(run -> {
                assertThat(run.job()).isEqualTo("on-upload");
                assertThat(run.trigger()).isEqualTo("event");
                assertThat(run.runId()).startsWith("on-upload-e-");
                assertThat(run.parameters()).containsEntry("KEY", "incoming/2026/11/26/orders.csv");
            });
            assertThat(MotoAws.messagesOn(sqs, options.queueUrl())).isZero();
            assertThat(counter("skiff.intake.sqs.received")).isEqualTo(1);
            assertThat(counter("skiff.intake.sqs.runs.started", "job", "on-upload")).isEqualTo(1);
        }
    }

    @Test
    void shouldStartOneRunWhenTheSameMessageIsDeliveredTwice() {
        // Given one message that SQS hands out twice, as it may before the first delivery is deleted
        send(s3Event("evt-1", "landing", "a.csv"));
        Message first = receiveOne(VISIBLE_AGAIN);
        Message second = receiveOne(HIDDEN);
        assertThat(second.messageId()).isEqualTo(first.messageId());

        // When both deliveries are handled
        SqsIntakeHandler handler = handler();
        Outcome one = handler.handle(first);
        Outcome two = handler.handle(second);

        // Then one run started, both deliveries count as done, and the queue is empty
        assertThat(List.of(one, two)).containsOnly(Outcome.STARTED);
        assertThat(runs()).hasSize(1);
        assertThat(counter("skiff.intake.sqs.runs.started", "job", "on-upload")).isEqualTo(1);
        assertThat(MotoAws.messagesOn(sqs, options.queueUrl())).isZero();
    }

    @Test
    void shouldStartOneRunWhenAnEventWithoutIdIsDeliveredTwice() {
        // Given an event sent to the queue by hand, with no id for the run id to come from
        send("""
                {"source": "aws.s3", "detail-type": "Object Created",
                 "detail": {"bucket": {"name": "landing"}, "object": {"key": "b.csv"}}}""");
        Message first = receiveOne(VISIBLE_AGAIN);
        Message second = receiveOne(HIDDEN);

        // When both deliveries are handled
        SqsIntakeHandler handler = handler();
        handler.handle(first);
        handler.handle(second);

        // Then the SQS message id stood in for the event id: one run
        assertThat(runs()).hasSize(1);
    }

    @Test
    void shouldDeadLetterWithTheReasonWhenTheBodyIsNotJson() {
        // Given a poison message
        send("this is not an event");

        // When it is handled
        Outcome outcome = handler().handle(receiveOne(HIDDEN));

        // Then it waits in the dead-letter queue with the reason, and the intake queue is empty
        assertThat(outcome).isEqualTo(Outcome.DEAD_LETTERED);
        List<Message> dead = MotoAws.drain(sqs, options.deadLetterQueueUrl());
        assertThat(dead).singleElement().satisfies(message -> {
            assertThat(message.body()).isEqualTo("this is not an event");
            assertThat(message.messageAttributes().get(SqsDeadLetterQueue.REASON_CODE).stringValue())
                    .isEqualTo(DeadLetterReason.UNREADABLE);
            assertThat(message.messageAttributes().get(SqsDeadLetterQueue.REASON).stringValue())
                    .startsWith("the message is not an EventBridge event: the body is not JSON");
        });
        assertThat(MotoAws.messagesOn(sqs, options.queueUrl())).isZero();
        assertThat(runs()).isEmpty();
        assertThat(counter("skiff.intake.sqs.dead.lettered", "reason", DeadLetterReason.UNREADABLE)).isEqualTo(1);
    }

    @Test
    void shouldDeadLetterWhenAPutEventsRequestArrivesThroughSqs() {
        // Given a PutEvents request, whose entries would get new ids on every delivery
        send("""
                {"Entries": [{"Source": "aws.s3", "DetailType": "Object Created",
                              "Detail": "{\\"bucket\\": {\\"name\\": \\"landing\\"}, \\"object\\": {\\"key\\": \\"c.csv\\"}}"}]}""");

        // When it is handled
        Outcome outcome = handler().handle(receiveOne(HIDDEN));

        // Then it is refused rather than risking a second run on redelivery
        assertThat(outcome).isEqualTo(Outcome.DEAD_LETTERED);
        assertThat(MotoAws.drain(sqs, options.deadLetterQueueUrl())).singleElement()
                .satisfies(m -> assertThat(m.messageAttributes().get(SqsDeadLetterQueue.REASON).stringValue())
                        .contains("must hold one EventBridge event"));
        assertThat(runs()).isEmpty();
    }

    @Test
    void shouldDeleteAndCountAnEventWhenItMatchesNoJob() {
        // Given an event from a bucket no job watches
        send(s3Event("evt-2", "elsewhere", "d.csv"));

        // When it is handled
        Outcome outcome = handler().handle(receiveOne(HIDDEN));

        // Then it is simply gone: not an error, nothing dead-lettered
        assertThat(outcome).isEqualTo(Outcome.UNMATCHED);
        assertThat(MotoAws.messagesOn(sqs, options.queueUrl())).isZero();
        assertThat(MotoAws.messagesOn(sqs, options.deadLetterQueueUrl())).isZero();
        assertThat(counter("skiff.intake.sqs.unmatched")).isEqualTo(1);
    }

    /** An engine that cannot start runs for now (its store or AWS is unreachable). */
    private RunEngine unavailable() {
        return new RunEngine() {
            @Override
            public Started start(String runId, JobSpec job, String trigger, Map<String, String> parameters) {
                throw new SkiffException("the run store is unreachable");
            }

            @Override
            public Optional<Run> get(String runId) {
                return engine.get(runId);
            }

            @Override
            public boolean exists(String runId) {
                return engine.exists(runId);
            }

            @Override
            public List<Run> list(RunQuery query) {
                return engine.list(query);
            }

            @Override
            public List<String> activeRunIds(String job, int limit) {
                return engine.activeRunIds(job, limit);
            }

            @Override
            public Run cancel(String runId, String reason) {
                return engine.cancel(runId, reason);
            }
        };
    }

    @Test
    void shouldDeadLetterAtOnceWhenTheEventsParametersCanNeverFitTheJob() {
        // Given an event the job matches but whose required key is missing: no later try can change that
        send("""
                {"id": "evt-7", "source": "aws.s3", "detail-type": "Object Created", "detail": {"bucket": {"name": "landing"}}}""");

        // When it is handled for the first time
        Outcome outcome = handler().handle(receiveOne(VISIBLE_AGAIN));

        // Then it goes to the dead-letter queue at once, refused, with the job and the parameter named
        assertThat(outcome).isEqualTo(Outcome.DEAD_LETTERED);
        assertThat(MotoAws.drain(sqs, options.deadLetterQueueUrl())).singleElement().satisfies(m -> {
            assertThat(m.messageAttributes().get(SqsDeadLetterQueue.REASON_CODE).stringValue())
                    .isEqualTo(DeadLetterReason.REFUSED);
            assertThat(m.messageAttributes().get(SqsDeadLetterQueue.REASON).stringValue())
                    .contains("on-upload").contains("KEY");
        });
        assertThat(MotoAws.messagesOn(sqs, options.queueUrl())).isZero();
        assertThat(counter("skiff.intake.sqs.failed")).isZero();
    }

    @Test
    void shouldHideTheMessageForTheRetryDelayWhenNoRunCouldStartYet() {
        // Given an event the job matches, while runs cannot be started
        options = options.withRetryDelay(HIDDEN);
        send(s3Event("evt-3", "landing", "c.csv"));

        // When it is handled for the first time
        Outcome outcome = handler(unavailable()).handle(receiveOne(VISIBLE_AGAIN));

        // Then it stays on the queue, hidden, to be tried again
        assertThat(outcome).isEqualTo(Outcome.RETRY_LATER);
        assertThat(MotoAws.messagesOn(sqs, options.queueUrl())).isEqualTo(1);
        assertThat(MotoAws.receive(sqs, options, HIDDEN, Duration.ofSeconds(2))).isEmpty();
        assertThat(counter("skiff.intake.sqs.failed")).isEqualTo(1);
    }

    @Test
    void shouldDeadLetterWithTheLastErrorWhenHandlingFailedMaxReceivesTimes() {
        // Given an event whose run cannot start while the engine is down, on an intake that tries twice
        options = options.withMaxReceives(2).withRetryDelay(Duration.ZERO);
        send(s3Event("evt-4", "landing", "d.csv"));
        SqsIntakeHandler handler = handler(unavailable());

        // When it fails on its first and its second receive
        Outcome first = handler.handle(receiveOne(VISIBLE_AGAIN));
        Outcome second = handler.handle(receiveOne(HIDDEN));

        // Then the second failure sends it to the dead-letter queue with the error, and the queue is empty
        assertThat(List.of(first, second)).containsExactly(Outcome.RETRY_LATER, Outcome.DEAD_LETTERED);
        assertThat(MotoAws.drain(sqs, options.deadLetterQueueUrl())).singleElement().satisfies(m -> {
            assertThat(m.messageAttributes().get(SqsDeadLetterQueue.REASON_CODE).stringValue())
                    .isEqualTo(DeadLetterReason.MAX_RECEIVES);
            assertThat(m.messageAttributes().get(SqsDeadLetterQueue.REASON).stringValue())
                    .startsWith("handling failed 2 times").contains("on-upload").contains("the run store is unreachable");
        });
        assertThat(MotoAws.messagesOn(sqs, options.queueUrl())).isZero();
    }

    @Test
    void shouldDeadLetterWithoutTryingWhenReceivedMoreThanMaxReceivesTimes() {
        // Given a message whose earlier handlings never finished (the process died on it each time)
        options = options.withMaxReceives(1);
        send(s3Event("evt-5", "landing", "e.csv"));
        receiveOne(VISIBLE_AGAIN);

        // When it is received once more than allowed
        Outcome outcome = handler().handle(receiveOne(HIDDEN));

        // Then it goes to the dead-letter queue before anything is tried
        assertThat(outcome).isEqualTo(Outcome.DEAD_LETTERED);
        assertThat(runs()).isEmpty();
        assertThat(MotoAws.drain(sqs, options.deadLetterQueueUrl())).singleElement()
                .satisfies(m -> assertThat(m.messageAttributes().get(SqsDeadLetterQueue.REASON).stringValue())
                        .startsWith("received 2 times, more than skiff.intake.sqs.max-receives (1)"));
        assertThat(MotoAws.messagesOn(sqs, options.queueUrl())).isZero();
    }

    @Test
    void shouldAskForTheReceiveCountWhenTheConnectorReceives() {
        // Given the intake's receive request shape / When a message is received with it
        send(s3Event("evt-6", "landing", "f.csv"));
        Message message = receiveOne(HIDDEN);

        // Then SQS says how often it handed the message out, which max-receives is counted on
        assertThat(message.attributes()).containsEntry(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT, "1");
    }
}
