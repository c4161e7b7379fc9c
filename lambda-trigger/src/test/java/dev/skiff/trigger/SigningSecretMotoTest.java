package dev.skiff.trigger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ssm.model.ParameterType;

/** The webhook secret read from Secrets Manager and from SSM Parameter Store on moto. */
class SigningSecretMotoTest {

    private final MotoAws aws = new MotoAws();

    @Test
    void shouldReadTheSecretStringWhenTheSecretIsInSecretsManager() {
        // Given
        String arn = aws.secrets.createSecret(r -> r.name("skiff/webhook").secretString("from-secrets-manager")).arn();
        // When
        String value = new SecretsManagerSigningSecret(aws.secrets, arn).value();
        // Then
        assertThat(value).isEqualTo("from-secrets-manager");
    }

    @Test
    void shouldReadTheDecryptedValueWhenTheSecretIsASecureStringParameter() {
        aws.ssm.putParameter(r -> r.name("/skiff/webhook-secret").type(ParameterType.SECURE_STRING).value("from-ssm"));

        assertThat(new SsmSigningSecret(aws.ssm, "/skiff/webhook-secret").value()).isEqualTo("from-ssm");
    }

    @Test
    void shouldThrowWhenTheSecretDoesNotExist() {
        assertThatThrownBy(() -> new SecretsManagerSigningSecret(aws.secrets, "skiff/missing").value())
                .isInstanceOf(software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException.class);
    }
}
