package dev.skiff.orchestrator.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class UnauthenticatedRemoteCheckTest {

    @Test
    void shouldNameTheKeysAndTheWaysOutWhenUnauthenticatedOnAnAddressOthersReach() {
        // Given / When / Then
        for (String host : new String[] {"0.0.0.0", "::", "192.168.1.20", "skiff.internal", "127.0.0.1.nip.io"}) {
            assertThat(UnauthenticatedRemoteCheck.problem("none", host, false)).as(host).hasValueSatisfying(
                    message -> assertThat(message).contains("quarkus.http.host=" + host, "skiff.auth.mode=none",
                            "skiff.auth.mode=api-keys", "skiff.auth.allow-unauthenticated-remote=true"));
        }
    }

    @Test
    void shouldAllowLoopbackAddressesKeysOrTheExplicitFlag() {
        // Given / When / Then
        for (String host : new String[] {"127.0.0.1", "localhost", "::1", "[::1]", "127.0.1.1"}) {
            assertThat(UnauthenticatedRemoteCheck.problem("none", host, false)).as(host).isEmpty();
        }
        assertThat(UnauthenticatedRemoteCheck.problem("api-keys", "0.0.0.0", false)).isEmpty();
        assertThat(UnauthenticatedRemoteCheck.problem("none", "0.0.0.0", true)).isEmpty();
    }
}
