package dev.skiff.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.regex.Pattern;

/**
 * A secret is referenced by ARN, never written into the spec. A value that is not such an ARN may
 * be a pasted secret, so Violations shows only its first characters.
 */
final class SecretArnRule implements SpecRule {

    private static final String PARTITION_REGION_ACCOUNT = "arn:aws[a-z-]*:%s:[a-z]{2}(-[a-z]+)+-[0-9]+:[0-9]{12}:";
    private static final Pattern SECRETS_MANAGER = Pattern.compile(PARTITION_REGION_ACCOUNT.formatted("secretsmanager") + "secret:.+");
    private static final Pattern SSM_PARAMETER = Pattern.compile(PARTITION_REGION_ACCOUNT.formatted("ssm") + "parameter/.+");

    @Override
    public void check(JsonNode root, Violations out) {
        for (var secret : SpecNodes.fields(root.path("secrets"))) {
            JsonNode arn = secret.getValue();
            if (arn.isTextual() && !isSecretArn(arn.textValue())) {
                out.semantic(SpecPaths.field("secrets", secret.getKey()), arn,
                        "is not a Secrets Manager secret ARN (arn:aws:secretsmanager:<region>:<account>:secret:<name>)"
                                + " or SSM parameter ARN (arn:aws:ssm:<region>:<account>:parameter/<name>)");
            }
        }
    }

    static boolean isSecretArn(String value) {
        return SECRETS_MANAGER.matcher(value).matches() || SSM_PARAMETER.matcher(value).matches();
    }
}
