package dev.skiff.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A secret is referenced by ARN, never written into the spec, and it must belong to the job's owner: a Secrets
 * Manager secret named {@code skiff/<owner>/...} or an SSM parameter under {@code /skiff/<owner>/}. In AWS each
 * team's jobs start with an execution role that reads only its own path, so naming another team's secret would
 * fail at launch; refusing it here says why while the spec is written. A value that is not such an ARN may be a
 * pasted secret, so Violations shows only its first characters.
 */
final class SecretArnRule implements SpecRule {

    /** Where every job secret lives; the owner's name follows. */
    static final String SECRET_ROOT = "skiff/";

    private static final String PARTITION_REGION_ACCOUNT = "arn:aws[a-z-]*:%s:[a-z]{2}(-[a-z]+)+-[0-9]+:[0-9]{12}:";
    private static final String SECRETS_MANAGER = PARTITION_REGION_ACCOUNT.formatted("secretsmanager") + "secret:";
    private static final String SSM_PARAMETER = PARTITION_REGION_ACCOUNT.formatted("ssm") + "parameter/";
    private static final Pattern ANY_SECRET = Pattern.compile("(" + SECRETS_MANAGER + "|" + SSM_PARAMETER + ").+");
    // The schema's owner alphabet: only such an owner is known to be safe inside an ARN and an IAM resource.
    private static final Pattern OWNER = Pattern.compile("[a-z0-9]([a-z0-9-]*[a-z0-9])?");

    @Override
    public void check(JsonNode root, Violations out) {
        Optional<String> owner = validOwner(root.path("owner"));
        var secrets = SpecNodes.fields(root.path("secrets"));
        // Compiled only for a spec with secrets: compiling it for every spec was a tenth of checking 100,000.
        Optional<Pattern> ownersSecret = secrets.isEmpty() ? Optional.empty() : owner.map(SecretArnRule::ownersSecret);
        for (var secret : secrets) {
            JsonNode arn = secret.getValue();
            if (!arn.isTextual()) {
                continue;
            }
            String path = SpecPaths.field("secrets", secret.getKey());
            if (!ANY_SECRET.matcher(arn.textValue()).matches()) {
                out.semantic(path, arn,
                        "is not a Secrets Manager secret ARN (arn:aws:secretsmanager:<region>:<account>:secret:<name>)"
                                + " or SSM parameter ARN (arn:aws:ssm:<region>:<account>:parameter/<name>)");
            } else if (ownersSecret.isPresent() && !ownersSecret.get().matcher(arn.textValue()).matches()) {
                out.semantic(path, arn, notTheOwners(owner.get()));
            }
        }
    }

    private static Optional<String> validOwner(JsonNode owner) {
        // A missing or malformed owner is reported by the schema; the secrets are then checked for their form only.
        return owner.isTextual() && OWNER.matcher(owner.textValue()).matches() ? Optional.of(owner.textValue()) : Optional.empty();
    }

    private static Pattern ownersSecret(String owner) {
        String prefix = Pattern.quote(SECRET_ROOT + owner + "/");
        return Pattern.compile("(" + SECRETS_MANAGER + "|" + SSM_PARAMETER + ")" + prefix + ".+");
    }

    private static String notTheOwners(String owner) {
        String prefix = SECRET_ROOT + owner + "/";
        return "must name a secret of the owner " + owner + ": a Secrets Manager secret named " + prefix + "<name>"
                + " (arn:aws:secretsmanager:<region>:<account>:secret:" + prefix + "<name>) or an SSM parameter under /"
                + prefix + " (arn:aws:ssm:<region>:<account>:parameter/" + prefix + "<name>); only the owner's"
                + " execution role can read them";
    }
}
