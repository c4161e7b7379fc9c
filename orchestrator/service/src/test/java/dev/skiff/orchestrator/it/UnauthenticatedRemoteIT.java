package dev.skiff.orchestrator.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged service refuses to serve an API without authentication on an address other machines reach, unless
 * the flag that says so is set.
 */
class UnauthenticatedRemoteIT {

    @TempDir
    Path work;

    @Test
    void shouldRefuseToStartNamingTheKeysWhenUnauthenticatedOnAnAddressOthersReach() throws Exception {
        // Given / When the service is started with auth.mode none on every interface
        Path log = work.resolve("service.log");
        int exit = ServiceProcess.exitCode(Files.createDirectories(work.resolve("data")),
                Files.createDirectories(work.resolve("jobs")), log, Map.of("quarkus.http.host", "0.0.0.0"));

        // Then it exits with an error that names the keys and the ways out
        assertThat(exit).isNotZero();
        assertThat(Files.readString(log)).contains("quarkus.http.host=0.0.0.0", "skiff.auth.mode=none",
                "skiff.auth.mode=api-keys", "skiff.auth.allow-unauthenticated-remote=true");
    }

    @Test
    void shouldStartWhenTheUnsafeFlagIsSet() throws Exception {
        // Given / When / Then it serves once the operator said the network is the access control
        try (var service = ServiceProcess.start(Files.createDirectories(work.resolve("data")),
                Files.createDirectories(work.resolve("jobs")), work.resolve("service.log"),
                Map.of("quarkus.http.host", "0.0.0.0", "skiff.auth.allow-unauthenticated-remote", "true"))) {
            assertThat(service.get("/jobs").path("jobs").isArray()).isTrue();
        }
    }
}
