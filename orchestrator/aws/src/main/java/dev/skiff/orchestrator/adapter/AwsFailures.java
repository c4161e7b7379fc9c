package dev.skiff.orchestrator.adapter;

import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;

/** How to read a failed AWS call once the SDK's own retries are spent. */
public final class AwsFailures {

    private AwsFailures() {
    }

    /**
     * Whether the same call later may pass with nothing changed: AWS throttled it or failed on its side (5xx), or
     * was not reached at all. A refusal (a missing permission, an invalid request, a quota) will not pass by waiting.
     */
    public static boolean passing(SdkException e) {
        return !(e instanceof AwsServiceException refused) || refused.isThrottlingException() || refused.statusCode() >= 500;
    }
}
