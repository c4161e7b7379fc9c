package dev.skiff.orchestrator.aws;

import dev.skiff.orchestrator.adapter.sqs.ConnectorMessages;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

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

    private final Instance<DispatchConsumer> dispatch;
    private final Instance<TaskEventsConsumer> taskEvents;

    public StepFunctionsChannels(Instance<DispatchConsumer> dispatch, Instance<TaskEventsConsumer> taskEvents) {
        this.dispatch = dispatch;
        this.taskEvents = taskEvents;
    }

    @Incoming(DISPATCH)
    @Blocking(value = DISPATCH, ordered = false)
    public CompletionStage<Void> dispatch(Message<String> message) {
        return ConnectorMessages.settle(DISPATCH, message, m -> dispatch.get().handle(m));
    }

    @Incoming(TASK_EVENTS)
    @Blocking(value = TASK_EVENTS, ordered = false)
    public CompletionStage<Void> taskEvent(Message<String> message) {
        return ConnectorMessages.settle(TASK_EVENTS, message, m -> taskEvents.get().handle(m));
    }
}
