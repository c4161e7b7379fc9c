package dev.skiff.trigger;

import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/** The secret's {@code SecretString} from Secrets Manager (GetSecretValue, current version). */
public final class SecretsManagerSigningSecret implements SigningSecret {

    private final SecretsManagerClient client;
    private final String secretId;

    public SecretsManagerSigningSecret(SecretsManagerClient client, String secretId) {
        this.client = client;
        this.secretId = secretId;
    }

    @Override
    public String value() {
        String value = client.getSecretValue(r -> r.secretId(secretId)).secretString();
        if (value == null || value.isEmpty()) {
            throw new IllegalStateException("secret " + secretId + " has no SecretString (binary secrets are not supported)");
        }
        return value;
    }
}
