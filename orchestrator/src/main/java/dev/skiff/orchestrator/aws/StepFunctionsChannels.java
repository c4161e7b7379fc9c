package dev.skiff.orchestrator.aws;

import io.smallrye.reactive.messaging.annotations.Blocking;
import io.smallrye.reactive.messaging.aws.sqs.SqsIncomingMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Where SmallRye's SQS connector hands over the two queues of Step Functions mode: launch requests from the
 * state machines ({@value #DISPATCH}) and ECS task state changes ({@value #TASK_EVENTS}). Each message is settled
 * by its consumer (the channels run with the connector's ack and failure strategies set to {@code ignore}); a
 * message whose handling failed is not deleted and comes back after its visibility timeout. Both channels are on
 * only with {@code skiff.engine=stepfunctions} (see {@code StepFunctionsSwitch}).
 */
@ApplicationScoped
public class StepFunctionsChannels {

    public static final String DISPATCH = "skiff-dispatch";
    public static final String TASK_EVENTS = "skiff-task-events";
    private static final Logger LOG = Logger.getLogger(StepFunctionsChannels.class);

    private final Instance<DispatchConsumer> dispatch;
    private final Instance<TaskEventsConsumer> taskEvents;

    public StepFunctionsChannels(Instance<DispatchConsumer> dispatch, Instance<TaskEventsConsumer> taskEvents) {
        this.dispatch = dispatch;
        this.taskEvents = taskEvents;
    }

    @Incoming(DISPATCH)
    @Blocking(value = DISPATCH, ordered = false)
    public CompletionStage<Void> dispatch(Message<String> message) {
        return settle(DISPATCH, message, m -> dispatch.get().handle(m));
    }

    @Incoming(TASK_EVENTS)
    @Blocking(value = TASK_EVENTS, ordered = false)
    public CompletionStage<Void> taskEvent(Message<String> message) {
        return settle(TASK_EVENTS, message, m -> taskEvents.get().handle(m));
    }

    private static CompletionStage<Void> settle(String channel, Message<String> message,
                                                Consumer<software.amazon.awssdk.services.sqs.model.Message> consumer) {
        message.getMetadata(SqsIncomingMetadata.class).ifPresent(incoming -> {
            try {
                consumer.accept(incoming.getMessage());
            } catch (RuntimeException e) {
                // Never fail the stream: that would stop the channel. The message comes back after its visibility timeout.
                LOG.errorf("%s: message %s not settled, it will come back: %s", channel, incoming.getMessage().messageId(), e);
            }
        });
        return message.ack();
    }
}
