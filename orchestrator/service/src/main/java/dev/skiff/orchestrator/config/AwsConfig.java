package dev.skiff.orchestrator.config;

import io.smallrye.config.ConfigMapping;
import java.net.URI;
import java.util.Optional;

/** Everything under {@code skiff.aws.}: where the AWS clients connect. Credentials always come from the SDK's chain. */
@ConfigMapping(prefix = "skiff.aws")
public interface AwsConfig {

    /** The region of every client; when absent, the SDK's chain (AWS_REGION, profile, instance metadata) decides. */
    Optional<String> region();

    /**
     * One endpoint for every AWS service, such as an emulator on loopback. When absent, the SDK still honours
     * {@code AWS_ENDPOINT_URL} (and {@code AWS_ENDPOINT_URL_<SERVICE>}) itself.
     */
    Optional<URI> endpoint();
}
