package dev.skiff.trigger;

import software.amazon.awssdk.services.ssm.SsmClient;

/** A SecureString (or String) parameter from SSM Parameter Store, decrypted. */
public final class SsmSigningSecret implements SigningSecret {

    private final SsmClient client;
    private final String parameterName;

    public SsmSigningSecret(SsmClient client, String parameterName) {
        this.client = client;
        this.parameterName = parameterName;
    }

    @Override
    public String value() {
        return client.getParameter(r -> r.name(parameterName).withDecryption(true)).parameter().value();
    }
}
