package dev.skiff.orchestrator.config;

import dev.skiff.orchestrator.app.TeamAuthorizer;
import dev.skiff.orchestrator.domain.SkiffException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.HashMap;
import java.util.Map;

/** The API's authorizer, from {@code skiff.auth.mode}; an unknown mode or a bad key entry fails startup. */
@ApplicationScoped
class AuthProducers {

    @Produces
    @Singleton
    TeamAuthorizer authorizer(AuthConfig auth) {
        return switch (auth.mode()) {
            case AuthConfig.NONE -> TeamAuthorizer.open();
            case "api-keys" -> TeamAuthorizer.apiKeys(keys(auth));
            default -> throw new SkiffException("skiff.auth.mode: " + auth.mode()
                    + " is not an authentication mode this build has (known: none, api-keys)");
        };
    }

    /** The keys of the configuration and of the key file together. */
    static Map<String, String> keys(AuthConfig auth) {
        var keys = new HashMap<>(auth.apiKeys());
        auth.apiKeysFile().map(ApiKeyFile::read).ifPresent(keys::putAll);
        auth.apiKeysText().map(ApiKeyFile::parse).ifPresent(keys::putAll);
        return keys;
    }
}
