package dev.skiff.orchestrator.adapter.sqs;

import io.smallrye.reactive.messaging.aws.sqs.SqsIncomingMetadata;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Hands a message from SmallRye's SQS connector to the handler that settles it (deletes, hides, dead-letters), and
 * acks it to the connector whatever happened: Skiff's channels run with the connector's ack and failure strategies
 * set to {@code ignore}, so settling is the handler's job alone, testable without Quarkus.
 */
public final class ConnectorMessages {

    private static final Logger LOG = Logger.getLogger(ConnectorMessages.class);

    private ConnectorMessages() {
    }

    public static CompletionStage<Void> settle(String channel, Message<String> message,
                                               Consumer<software.amazon.awssdk.services.sqs.model.Message> handler) {
        message.getMetadata(SqsIncomingMetadata.class).ifPresent(incoming -> {
            try {
                handler.accept(incoming.getMessage());
            } catch (RuntimeException e) {
                // Never fail the stream: that would stop the channel. The message comes back after its visibility timeout.
                LOG.errorf("%s: message %s not settled, it will come back: %s", channel, incoming.getMessage().messageId(), e);
            }
        });
        return message.ack();
    }
}
