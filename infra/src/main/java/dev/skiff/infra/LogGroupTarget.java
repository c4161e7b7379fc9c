package dev.skiff.infra;

import java.util.List;
import software.amazon.awscdk.ArnComponents;
import software.amazon.awscdk.ArnFormat;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.interfaces.events.IRuleRef;
import software.amazon.awscdk.services.events.IRuleTarget;
import software.amazon.awscdk.services.events.RuleTargetConfig;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.logs.LogGroup;

/**
 * Delivers a rule's events to a CloudWatch log group. The log group's resource policy lets EventBridge
 * write to it; it is a plain {@code AWS::Logs::ResourcePolicy}. (aws-cdk-lib's {@code CloudWatchLogGroup}
 * target writes the same policy through a custom-resource Lambda, which would add a function, a role with
 * {@code logs:PutResourcePolicy} on every resource, and an AWS managed policy to the stack.)
 */
final class LogGroupTarget implements IRuleTarget {

    private final LogGroup logGroup;

    LogGroupTarget(LogGroup logGroup) {
        this.logGroup = logGroup;
        logGroup.addToResourcePolicy(PolicyStatement.Builder.create()
                .sid("EventBridgeDelivers")
                .principals(List.of(new ServicePrincipal("events.amazonaws.com")))
                .actions(List.of("logs:CreateLogStream", "logs:PutLogEvents"))
                .resources(List.of(logGroup.getLogGroupArn()))
                .build());
    }

    @Override
    public RuleTargetConfig bind(IRuleRef rule, String id) {
        // The target takes the log group's ARN without the ":*" that LogGroup.logGroupArn ends with.
        String arn = Stack.of(logGroup).formatArn(ArnComponents.builder()
                .service("logs")
                .resource("log-group")
                .arnFormat(ArnFormat.COLON_RESOURCE_NAME)
                .resourceName(logGroup.getLogGroupName())
                .build());
        return RuleTargetConfig.builder().arn(arn).targetResource(logGroup).build();
    }

    @Override
    public RuleTargetConfig bind(IRuleRef rule) {
        return bind(rule, null);
    }
}
