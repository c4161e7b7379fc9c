package dev.skiff.orchestrator.adapter.sqs;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.model.Message;

/** Visibility extension on a real queue (moto): the test moves time with {@code tick}; only SQS's own clock runs. */
class VisibilityExtenderTest {

    private static final Instant RECEIVED = Instant.parse("2026-11-26T10:00:00Z");
    /** Extensions are due a third of this after receipt: 10 s. */
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    /** How long the test's receive hides messages: what an extension must outlast. */
    private static final Duration SHORT = Duration.ofSeconds(1);

    private static SqsAsyncClient sqs;
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private SqsIntakeOptions options;
    private VisibilityExtender extender;

    @BeforeAll
    static void connect() {
        sqs = MotoAws.sqs();
    }

    @AfterAll
    static void disconnect() {
        sqs.close();
    }

    @BeforeEach
    void createQueue() {
        options = SqsIntakeOptions.of(MotoAws.createQueue(sqs, "intake"), MotoAws.createQueue(sqs, "intake-dlq"))
                .withVisibilityTimeout(TIMEOUT);
        extender = new VisibilityExtender(new SqsQueue(sqs, options.queueUrl()), options, new SqsIntakeMetrics(registry));
    }

    private List<Message> sendAndReceive(String... bodies) {
        for (String body : bodies) {
            sqs.sendMessage(r -> r.queueUrl(options.queueUrl()).messageBody(body)).join();
        }
        List<Message> received = MotoAws.receive(sqs, options, SHORT, Duration.ofSeconds(5));
        assertThat(received).hasSize(bodies.length);
        return received;
    }

    private double extensions() {
        var counter = registry.find("skiff.intake.sqs.visibility.extended").counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void shouldExtendOnlyWhenAMessageIsInHandForAThirdOfTheTimeout() throws InterruptedException {
        // Given two received messages, of which only the slow one is still in hand
        List<Message> received = sendAndReceive("slow", "done");
        Message slow = received.stream().filter(m -> m.body().equals("slow")).findFirst().orElseThrow();
        extender.track(slow, RECEIVED);

        // When time passes a third of the timeout
        extender.tick(RECEIVED.plusSeconds(9));
        double beforeDue = extensions();
        extender.tick(RECEIVED.plusSeconds(10));

        // Then the slow one got a whole timeout again, and the next extension is due a third later
        assertThat(beforeDue).isZero();
        assertThat(extensions()).isEqualTo(1);
        assertThat(extender.nextWakeUp()).contains(RECEIVED.plusSeconds(20));
        Thread.sleep(SHORT.plusMillis(500).toMillis());
        assertThat(MotoAws.receive(sqs, options, TIMEOUT, Duration.ofSeconds(2)))
                .extracting(Message::body).containsExactly("done");
    }

    @Test
    void shouldLeaveAMessageAloneWhenItWasReleased() {
        // Given a message handled and released before its extension was due
        Message message = sendAndReceive("quick").get(0);
        extender.track(message, RECEIVED);
        extender.release(message);

        // When the extension would have been due
        extender.tick(RECEIVED.plusSeconds(10));

        // Then nothing is extended and nothing is waited for
        assertThat(extensions()).isZero();
        assertThat(extender.nextWakeUp()).isEmpty();
    }
}
