package dev.skiff.infra;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import software.amazon.awscdk.Stack;

/** cdk-nag's finding ids, computed the way cdk-nag computes them, so that acknowledgments match exactly. */
final class NagFindings {

    private NagFindings() {
    }

    /** AwsSolutions-IAM5's finding for a wildcard resource: {@code AwsSolutions-IAM5[Resource::<flattened ARN>]}. */
    static String wildcardResource(Stack stack, String resource) {
        return "AwsSolutions-IAM5[Resource::" + flatten(stack.resolve(resource)) + "]";
    }

    /**
     * A resolved CloudFormation value as one string, as cdk-nag's flattenCfnReference writes it: joins are joined,
     * {@code Ref} and {@code Fn::GetAtt} become {@code <Name>} and {@code <Name.Attribute>}.
     */
    static String flatten(Object node) {
        if (node == null) {
            return "";
        }
        if (node instanceof String text) {
            return text.replace("${", "<").replace("}", ">");
        }
        if (node instanceof Map<?, ?> map) {
            if (map.containsKey("Fn::Join")) {
                List<?> join = (List<?>) map.get("Fn::Join");
                return ((List<?>) join.get(1)).stream().map(NagFindings::flatten).collect(Collectors.joining((String) join.get(0)));
            }
            if (map.containsKey("Fn::Sub")) {
                return flatten(map.get("Fn::Sub"));
            }
            if (map.containsKey("Fn::GetAtt")) {
                List<?> getAtt = (List<?>) map.get("Fn::GetAtt");
                return "<" + flatten(getAtt.get(0)) + "." + flatten(getAtt.get(1)) + ">";
            }
            if (map.containsKey("Ref")) {
                return "<" + flatten(map.get("Ref")) + ">";
            }
        }
        throw new IllegalArgumentException("cannot flatten " + node + " as cdk-nag does");
    }
}
