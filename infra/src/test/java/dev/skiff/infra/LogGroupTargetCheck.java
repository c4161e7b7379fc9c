package dev.skiff.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import software.amazon.awscdk.services.logs.LogGroup;

/** A rule delivers to a log group only with the log group's ARN as target and a resource policy for EventBridge. */
final class LogGroupTargetCheck {

    private LogGroupTargetCheck() {
    }

    static void assertDeliversTo(Synthesized skiff, JsonNode rule, LogGroup logGroup) {
        String name = skiff.logicalId(logGroup);
        assertThat(Cfn.text(rule.get("Targets").get(0).get("Arn")))
                .isEqualTo("arn:${AWS::Partition}:logs:eu-central-1:${AWS::AccountId}:log-group:${" + name + "}");
        boolean delivered = false;
        for (String id : skiff.ofType("AWS::Logs::ResourcePolicy")) {
            String document = skiff.resources().get(id).get("Properties").get("PolicyDocument").toString();
            delivered |= document.contains("events.amazonaws.com") && document.contains("logs:PutLogEvents")
                    && document.contains(name);
        }
        assertThat(delivered).as("a resource policy lets EventBridge write to " + name).isTrue();
    }
}
