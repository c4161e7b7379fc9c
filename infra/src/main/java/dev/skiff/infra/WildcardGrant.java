package dev.skiff.infra;

import software.amazon.awscdk.services.iam.PolicyStatement;

/**
 * A policy statement whose resource is {@code *} or ends in a wildcard, and why it cannot be narrower.
 * {@link NagSuppressions} acknowledges cdk-nag's IAM5 finding for each of its resources with this reason.
 */
public record WildcardGrant(PolicyStatement statement, String reason) {
}
