package dev.skiff.infra;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awscdk.Acknowledgment;
import software.amazon.awscdk.Annotations;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.Validations;
import software.constructs.IConstruct;
import software.constructs.MetadataOptions;

/**
 * Every cdk-nag (AWS Solutions) finding, and CDK warning, that Skiff accepts, in one place, each acknowledged on
 * the construct it concerns with the reason. cdk-nag 3 acknowledges each finding by its id; IAM5's ids name the wildcard resource,
 * so they are computed from the statements themselves ({@link WildcardGrant}), never typed in by hand.
 */
final class NagSuppressions {

    private NagSuppressions() {
    }

    static void acknowledge(SkiffStack stack) {
        wildcards(stack, stack.orchestrator().taskRole(), stack.orchestratorPermissions().wildcardGrants());
        stack.jobs().wildcardGrants().forEach((role, grants) -> wildcards(stack, role, grants));
        if (stack.orchestrator().taskDefinition().getExecutionRole() != null) {
            acknowledge(stack.orchestrator().taskDefinition().getExecutionRole(), NagFindings.wildcardResource(stack, "*"),
                    "ecr:GetAuthorizationToken, granted with the pull of the orchestrator's image, supports no"
                            + " resource-level permissions; the pull itself is limited to the image's repository");
        }

        acknowledge(stack.orchestrator().taskDefinition(), "AwsSolutions-ECS2",
                "The environment holds configuration only (queue URLs, ARNs, names, modes); the secrets, the API"
                        + " keys and the task-token keys, reach the container through ECS secrets from Secrets Manager");
        acknowledge(stack.orchestrator().taskTokenKeys(), "AwsSolutions-SMG4",
                "Rotation keeps the old key listed until the steps it sealed have ended (at most the longest job"
                        + " timeout plus the launch allowance); a rotation function cannot know that. Operators put"
                        + " '<new>,<old>' and drop the old one later (docs/security.md)");
        acknowledge(stack.orchestrator().apiKeys(), "AwsSolutions-SMG4",
                "The secret holds SHA-256 hashes of API keys that data teams keep; there is nothing for a rotation"
                        + " function to generate. A key is rotated by adding its new hash and removing the old line");
        acknowledge(stack.trigger().signingSecret(), "AwsSolutions-SMG4",
                "The signing key is shared with every webhook sender, so a change must be coordinated with them;"
                        + " operators put a new value and the function reads it within SKIFF_SIGNING_SECRET_TTL_SECONDS");
        acknowledge(stack.trigger().function(), "AwsSolutions-L1",
                "The trigger is compiled for Java 17 and tested on 17 and 21; java21 is the newest runtime it has been"
                        + " verified on, with SnapStart. A newer runtime is a change to test first, not a default");
        // A CDK warning, not a cdk-nag finding. Validations.acknowledge would pass it on with an "Annotation::" prefix
        // that aws-cdk-lib 2.263.0's warning id lacks, so the warning would stay; Annotations matches it exactly.
        Annotations.of(stack.trigger().function()).acknowledgeWarning("@aws-cdk/aws-lambda:snapStartRequirePublish",
                "SnapStart applies to published versions: the stack publishes one (currentVersion) and the API invokes"
                        + " its alias, never $LATEST");
        acknowledge(stack.trigger().api(), "AwsSolutions-APIG4",
                "Webhook senders are outside systems that sign each request (HMAC-SHA256 over the timestamp and body,"
                        + " X-Skiff-Signature); the function refuses unsigned, badly signed and stale requests with 401,"
                        + " which an API Gateway authorizer cannot do as it never sees the body");
    }

    /** One acknowledgment per wildcard resource; a resource granted by several statements gets all their reasons. */
    private static void wildcards(Stack stack, IConstruct role, List<WildcardGrant> grants) {
        Map<String, Set<String>> reasons = new LinkedHashMap<>();
        for (WildcardGrant grant : grants) {
            for (String resource : grant.statement().getResources()) {
                reasons.computeIfAbsent(NagFindings.wildcardResource(stack, resource), id -> new LinkedHashSet<>())
                        .add(grant.statement().getSid() + ": " + grant.reason());
            }
        }
        reasons.forEach((id, why) -> acknowledge(role, id, String.join("; ", why)));
    }

    private static void acknowledge(IConstruct construct, String id, String reason) {
        if (id.split("::").length > 2) {
            // aws-cdk-lib 2.263.0's Validations.acknowledge rejects an id with more than one "::", which every IAM5
            // id naming an ARN has (cdklabs/cdk-nag#2359, fixed by aws/aws-cdk#38787). cdk-nag reads acknowledgments
            // from this metadata entry, the one acknowledge() writes, so the id is recorded there verbatim.
            construct.getNode().addMetadata(Validations.ACKNOWLEDGED_RULES_METADATA_KEY, Map.of(id, reason),
                    MetadataOptions.builder().stackTrace(false).build());
            return;
        }
        Validations.of(construct).acknowledge(Acknowledgment.builder().id(id).reason(reason).build());
    }
}
