package dev.skiff.infra;

import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.sqs.IQueue;
import software.constructs.Construct;

/**
 * The role every job's state machine runs as ({@code skiff.sfn.role-arn}). The orchestrator creates the state
 * machines; each task state only sends a launch request with its task token to the dispatch queue, so this is
 * the role's one permission. Execution logging is off (the failed-runs rule records failures instead), so it
 * needs no CloudWatch Logs delivery permissions.
 */
public final class StateMachineRole extends Construct {

    private final Role role;

    public StateMachineRole(Construct scope, String id, IQueue dispatchQueue) {
        super(scope, id);
        Stack stack = Stack.of(this);
        this.role = Role.Builder.create(this, "Role")
                // Only Skiff's state machines in this account may assume it (confused-deputy protection).
                .assumedBy(new ServicePrincipal("states.amazonaws.com").withConditions(Map.of(
                        "StringEquals", Map.of("aws:SourceAccount", stack.getAccount()),
                        "ArnLike", Map.of("aws:SourceArn", new Arns(stack).jobStateMachines()))))
                .description("Skiff's job state machines run as this role: they send launch requests to the dispatch queue")
                .build();
        role.addToPrincipalPolicy(PolicyStatement.Builder.create()
                .sid("SendLaunchRequests")
                .actions(List.of("sqs:SendMessage"))
                .resources(List.of(dispatchQueue.getQueueArn()))
                .build());
    }

    public Role role() {
        return role;
    }
}
