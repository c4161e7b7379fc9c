package dev.skiff.orchestrator.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/** Everything under {@code skiff.auth.}: who may call the API. */
@ConfigMapping(prefix = "skiff.auth")
public interface AuthConfig {

    /** The mode without authentication. */
    String NONE = "none";

    /** {@code none} (default: the embedded default serves 127.0.0.1 only) or {@code api-keys}. */
    @WithDefault("none")
    String mode();

    /** The SHA-256 (hex) of each API key, mapped to the team it speaks for. */
    Map<String, String> apiKeys();

    /** A file of more keys, one {@code <sha256 hex> <team>} a line (a mounted secret, say). */
    Optional<Path> apiKeysFile();

    /** The same lines as the file, as one value: how ECS passes a secret (SKIFF_AUTH_API_KEYS_TEXT). */
    Optional<String> apiKeysText();

    /**
     * With mode {@code none}, lets {@code quarkus.http.host} be an address other machines reach and the API answer
     * any Host name: then anyone who reaches the port may run commands as this user. Only for a network that is
     * itself the access control (a private container network, say).
     */
    @WithDefault("false")
    boolean allowUnauthenticatedRemote();
}
