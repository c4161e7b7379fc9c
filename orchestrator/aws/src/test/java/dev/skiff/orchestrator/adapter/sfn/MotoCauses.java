package dev.skiff.orchestrator.adapter.sfn;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.SdkResponse;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.StopExecutionRequest;

/**
 * Puts back into DescribeExecution answers the causes moto 5.2.5 drops and AWS keeps:
 * <ul>
 *   <li>StopExecution's: AWS aborts the execution with that error and cause; moto records neither and keeps the
 *       execution running until its step is answered (with {@code Skiff.Cancelled}, by the task side);</li>
 *   <li>SendTaskFailure's: AWS makes it the cause of the execution the failure ends; moto passes on the error alone.
 *       A test that answers a step with a failure says which cause it sent ({@link #sent}).</li>
 * </ul>
 * Only a FAILED execution that moto shows without a cause is changed; a stop's cause wins, as the stop ended the
 * execution on AWS.
 */
public final class MotoCauses implements ExecutionInterceptor {

    private final Map<String, String> stoppedByExecution = new ConcurrentHashMap<>();
    private final Map<String, String> sentByExecution = new ConcurrentHashMap<>();

    /** The cause of the latest SendTaskFailure for the execution (the run id). */
    public void sent(String executionName, String cause) {
        sentByExecution.put(executionName, cause);
    }

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        SdkRequest request = context.request();
        if (request instanceof StopExecutionRequest stop && stop.cause() != null) {
            stoppedByExecution.putIfAbsent(nameOf(stop.executionArn()), stop.cause());
        }
    }

    @Override
    public SdkResponse modifyResponse(Context.ModifyResponse context, ExecutionAttributes attributes) {
        if (context.response() instanceof DescribeExecutionResponse execution
                && execution.status() == ExecutionStatus.FAILED
                && (execution.cause() == null || execution.cause().isEmpty())) {
            String cause = stoppedByExecution.getOrDefault(execution.name(), sentByExecution.get(execution.name()));
            if (cause != null) {
                return execution.toBuilder().cause(cause).build();
            }
        }
        return context.response();
    }

    private static String nameOf(String executionArn) {
        return executionArn.substring(executionArn.lastIndexOf(':') + 1);
    }
}
