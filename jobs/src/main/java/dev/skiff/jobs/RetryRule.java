package dev.skiff.jobs;

import com.fasterxml.jackson.databind.JsonNode;

/** exitCodes narrow exit-code retries; without exit-code in retryOn they would silently do nothing. */
final class RetryRule implements SpecRule {

    @Override
    public void check(JsonNode root, Violations out) {
        JsonNode retries = root.path("retries");
        JsonNode exitCodes = retries.path("exitCodes");
        JsonNode retryOn = retries.path("retryOn");
        if (SpecNodes.items(exitCodes).isEmpty()) {
            return;
        }
        boolean retriesExitCodes = SpecNodes.items(retryOn).stream()
                .anyMatch(kind -> FailureKind.EXIT_CODE.specName().equals(kind.asText()));
        if (!retriesExitCodes) {
            out.semantic("retries.exitCodes", exitCodes, "only applies when retries.retryOn includes exit-code");
        }
    }
}
