package dev.skiff.orchestrator.adapter.sqs;

import dev.skiff.orchestrator.app.TickLoop;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Where SmallRye's SQS connector hands over the intake queue's messages. The connector polls, applies
 * back-pressure and reports health; the {@link SqsIntakeHandler} settles each message itself (the channel
 * runs with the connector's ack and failure strategies set to {@code ignore}), so that deleting,
 * dead-lettering and retrying are one class's job and are tested without Quarkus. Messages are handled
 * on the {@value #CHANNEL} worker pool, several at once, since each may wait on the run engine.
 */
@ApplicationScoped
public class SqsIntakeChannel {

    public static final String CHANNEL = "skiff-intake";

    private final SqsIntakeHandler handler;
    private final VisibilityExtender visibility;
    private final Clock clock;
    private TickLoop visibilityLoop;

    public SqsIntakeChannel(SqsIntakeHandler handler, SqsIntakeParts parts, Clock clock) {
        this.handler = handler;
        this.visibility = parts.visibility();
        this.clock = clock;
    }

    /** Starts extending visibilities; called at start only when the channel is on (the bean is not built otherwise). */
    public synchronized void start() {
        if (visibilityLoop == null) {
            visibilityLoop = new TickLoop("skiff-sqs-visibility", visibility, clock).start();
        }
    }

    @PreDestroy
    synchronized void stop() {
        if (visibilityLoop != null) {
            visibilityLoop.close();
        }
    }

    @Incoming(CHANNEL)
    @Blocking(value = CHANNEL, ordered = false)
    public CompletionStage<Void> consume(Message<String> message) {
        return ConnectorMessages.settle(CHANNEL, message, handler::handle);
    }
}
