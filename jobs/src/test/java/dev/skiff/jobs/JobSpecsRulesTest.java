package dev.skiff.jobs;

import static dev.skiff.jobs.SpecFixtures.SOURCE;
import static dev.skiff.jobs.SpecFixtures.violationsOfMinimalWith;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Rules checked in Java after the schema: each failing input and its exact violation. */
class JobSpecsRulesTest {

    @Test
    void shouldNameAllowedMemoryWhenMemoryDoesNotFitCpu() {
        // Given 16 GiB with 1 vCPU
        var violations = violationsOfMinimalWith("resources:\n  cpu: 1024\n  memory: 16384\n");

        // Then the allowed range for that cpu is named
        assertThat(violations).containsExactly(
                SOURCE + ": resources.memory: 16384 is not valid with cpu 1024 (allowed 2048-8192 in steps of 1024)");
    }

    @Test
    void shouldCheckMemoryAgainstDefaultCpuWhenCpuIsOmitted() {
        assertThat(violationsOfMinimalWith("resources:\n  memory: 4096\n")).containsExactly(
                SOURCE + ": resources.memory: 4096 is not valid with cpu 256 (allowed 512, 1024 or 2048)");
    }

    @Test
    void shouldRejectTimeoutWhenLongerThanSevenDays() {
        assertThat(violationsOfMinimalWith("timeout: 8d\n")).containsExactly(SOURCE + ": timeout: 8d must be between 1s and 7d");
    }

    @Test
    void shouldRejectDurationWhenUnitsAreOutOfOrder() {
        // Given text the schema's loose pattern lets through
        assertThat(violationsOfMinimalWith("timeout: 30m1h\n"))
                .containsExactly(SOURCE + ": timeout: 30m1h must be a duration like 90s, 30m, 1h30m or PT2H");
    }

    @Test
    void shouldRejectDurationWhenIsoTextIsInvalid() {
        assertThat(violationsOfMinimalWith("timeout: PT2X\n"))
                .containsExactly(SOURCE + ": timeout: PT2X must be a duration like 90s, 30m, 1h30m or PT2H");
    }

    @Test
    void shouldRejectDurationWhenNotWholeSeconds() {
        assertThat(violationsOfMinimalWith("timeout: PT1.5S\n"))
                .containsExactly(SOURCE + ": timeout: PT1.5S must be a whole number of seconds");
    }

    @Test
    void shouldRejectBackoffIntervalWhenAboveMaxDelay() {
        assertThat(violationsOfMinimalWith("retries:\n  backoff:\n    interval: 20m\n    maxDelay: 5m\n")).containsExactly(
                SOURCE + ": retries.backoff.interval: 20m must not exceed retries.backoff.maxDelay (5m)");
    }

    @Test
    void shouldRejectMisfireAllWhenConcurrencyWouldSkipTheMissedFires() {
        // Given misfire all with the default concurrency (forbid), and with replace
        var forbid = violationsOfMinimalWith("triggers:\n  schedules:\n    - cron: \"0 * * * *\"\n      misfire: all\n");
        var replace = violationsOfMinimalWith(
                "triggers:\n  schedules:\n    - cron: \"0 * * * *\"\n      misfire: all\n      concurrency: replace\n");
        var allow = violationsOfMinimalWith(
                "triggers:\n  schedules:\n    - cron: \"0 * * * *\"\n      misfire: all\n      concurrency: allow\n");

        // Then only allow keeps every missed fire
        assertThat(forbid).containsExactly(SOURCE + ": triggers.schedules[0].misfire: all needs concurrency: allow "
                + "(concurrency is forbid, which would skip or cancel the missed fires it starts together)");
        assertThat(replace).singleElement().asString().contains("concurrency is replace");
        assertThat(allow).isEmpty();
    }

    @Test
    void shouldRejectExitCodesWhenRetryOnLacksExitCode() {
        // Given exit codes with the default retryOn (start-failure, lost)
        var violations = violationsOfMinimalWith("retries:\n  exitCodes: [3, 75]\n");

        // Then
        assertThat(violations).containsExactly(
                SOURCE + ": retries.exitCodes: [3,75] only applies when retries.retryOn includes exit-code");
    }

    @Test
    void shouldRejectReservedPrefixWhenVariableStartsWithSkiff() {
        var violations = violationsOfMinimalWith("""
                environment:
                  SKIFF_RUN_ID: x
                parameters:
                  SKIFF_DATE: {}
                """);
        assertThat(violations).containsExactly(
                SOURCE + ": environment.SKIFF_RUN_ID: SKIFF_RUN_ID must not start with SKIFF_ (reserved for variables Skiff sets)",
                SOURCE + ": parameters.SKIFF_DATE: SKIFF_DATE must not start with SKIFF_ (reserved for variables Skiff sets)");
    }

    @Test
    void shouldRejectEnvironmentNameWhenAlsoAParameterOrSecret() {
        var violations = violationsOfMinimalWith("""
                environment:
                  DAY: "1"
                  TOKEN: x
                secrets:
                  TOKEN: arn:aws:ssm:eu-west-1:123456789012:parameter/skiff/team-a/token
                parameters:
                  DAY: {}
                """);
        assertThat(violations).containsExactly(
                SOURCE + ": environment.DAY: DAY is also declared in parameters (each variable name may come from one place)",
                SOURCE + ": environment.TOKEN: TOKEN is also declared in secrets (each variable name may come from one place)");
    }

    @Test
    void shouldRedactValueWhenSecretIsNotAnArn() {
        // Given a secret value pasted where its ARN belongs
        var violations = violationsOfMinimalWith("secrets:\n  DB_PASSWORD: hunter2-correct-horse\n");

        // Then only the first four characters appear
        assertThat(violations).containsExactly(SOURCE + ": secrets.DB_PASSWORD: hunt… is not a Secrets Manager secret ARN"
                + " (arn:aws:secretsmanager:<region>:<account>:secret:<name>) or SSM parameter ARN"
                + " (arn:aws:ssm:<region>:<account>:parameter/<name>)");
        assertThat(String.join("\n", violations)).doesNotContain("hunter2");
    }

    @Test
    void shouldAcceptSecretWhenArnIsUnderTheOwnersPathInAnyPartition() {
        // Given secrets of the owner team-a, in Secrets Manager (with and without a JSON key) and SSM
        assertThat(violationsOfMinimalWith("""
                secrets:
                  A: arn:aws:secretsmanager:eu-west-1:123456789012:secret:skiff/team-a/db/password-AbC123
                  B: arn:aws-us-gov:ssm:us-gov-west-1:123456789012:parameter/skiff/team-a/app/token
                  C: "arn:aws-cn:secretsmanager:cn-north-1:123456789012:secret:skiff/team-a/x-AbCdEf:password::"
                """)).isEmpty();
    }

    @Test
    void shouldRejectSecretWhenArnIsForAnotherService() {
        assertThat(violationsOfMinimalWith("secrets:\n  A: arn:aws:s3:::my-bucket/key\n"))
                .singleElement().asString().startsWith(SOURCE + ": secrets.A: arn:… is not a Secrets Manager secret ARN");
    }

    @Test
    void shouldRejectSecretWhenItBelongsToAnotherTeam() {
        // Given owner team-a naming team-b's secret, and an SSM parameter of team-b
        var violations = violationsOfMinimalWith("""
                secrets:
                  DB_PASSWORD: arn:aws:secretsmanager:eu-west-1:123456789012:secret:skiff/team-b/db-AbC123
                  TOKEN: arn:aws:ssm:eu-west-1:123456789012:parameter/skiff/team-b/token
                """);

        // Then each is refused with its path and the owner's own prefix, and the ARN is not echoed
        String rule = " must name a secret of the owner team-a: a Secrets Manager secret named skiff/team-a/<name>"
                + " (arn:aws:secretsmanager:<region>:<account>:secret:skiff/team-a/<name>) or an SSM parameter under"
                + " /skiff/team-a/ (arn:aws:ssm:<region>:<account>:parameter/skiff/team-a/<name>); only the owner's"
                + " execution role can read them";
        assertThat(violations).containsExactly(
                SOURCE + ": secrets.DB_PASSWORD: arn:…" + rule,
                SOURCE + ": secrets.TOKEN: arn:…" + rule);
        assertThat(String.join("\n", violations)).doesNotContain("team-b");
    }

    @Test
    void shouldRejectSecretWhenOutsideSkiffPathOrOwnerIsOnlyAPrefixOfTheTeam() {
        // Given a secret outside skiff/, one of team-ab (team-a is a prefix of its name), and the bare team path
        var violations = violationsOfMinimalWith("""
                secrets:
                  A: arn:aws:secretsmanager:eu-west-1:123456789012:secret:warehouse/etl-AbCdEf
                  B: arn:aws:secretsmanager:eu-west-1:123456789012:secret:skiff/team-ab/x-AbCdEf
                  C: arn:aws:ssm:eu-west-1:123456789012:parameter/skiff/team-a/
                  D: arn:aws:ssm:eu-west-1:123456789012:parameter/skiff/team-a
                """);

        assertThat(violations).hasSize(4).allSatisfy(v -> assertThat(v).contains(" must name a secret of the owner team-a"));
    }

    @Test
    void shouldRejectDefaultWhenParameterIsRequired() {
        assertThat(violationsOfMinimalWith("parameters:\n  DAY:\n    required: true\n    default: \"2024-01-01\"\n"))
                .containsExactly(SOURCE + ": parameters.DAY.default: 2024-01-01 must not be set when required is true"
                        + " (a default makes the parameter optional)");
    }

    @Test
    void shouldRejectEventParameterWhenNotDeclared() {
        var violations = violationsOfMinimalWith("""
                parameters:
                  BUCKET: {}
                triggers:
                  events:
                    - pattern: {source: [aws.s3]}
                      parameters:
                        BUCKET: $.detail.bucket.name
                        KEY: $.detail.object.key
                """);
        assertThat(violations).containsExactly(
                SOURCE + ": triggers.events[0].parameters.KEY: is not a declared parameter (declared: BUCKET)");
    }

    @Test
    void shouldRejectTriggerWhenItCannotFillARequiredParameter() {
        var violations = violationsOfMinimalWith("""
                parameters:
                  KEY: {required: true}
                triggers:
                  schedules:
                    - cron: "0 2 * * *"
                  events:
                    - pattern: {source: [aws.s3]}
                """);
        assertThat(violations).containsExactly(
                SOURCE + ": triggers.events[0].parameters: does not set required parameter KEY",
                SOURCE + ": triggers.schedules[0]: cannot start the job: a schedule gives no parameters and KEY is required without a default");
    }

    @Test
    void shouldRejectTagWhenKeyStartsWithAws() {
        assertThat(violationsOfMinimalWith("tags:\n  AWS:team: x\n"))
                .containsExactly(SOURCE + ": tags.AWS:team: AWS:team must not start with aws: (reserved by AWS)");
    }

    @Test
    void shouldQuoteCronUtilsWhenUnixCronIsInvalid() {
        assertThat(violationsOfMinimalWith("triggers:\n  schedules:\n    - cron: \"0 2 * *\"\n")).containsExactly(
                SOURCE + ": triggers.schedules[0].cron: 0 2 * * is not a valid Unix cron expression:"
                        + " Cron expression contains 4 parts but we expect one of [5]");
    }

    @Test
    void shouldRequireQuestionMarkWhenAwsCronSetsBothDayFields() {
        assertThat(violationsOfMinimalWith("triggers:\n  schedules:\n    - cron: cron(0 12 * * 2 *)\n")).containsExactly(
                SOURCE + ": triggers.schedules[0].cron: cron(0 12 * * 2 *) is not a valid AWS cron expression:"
                        + " Invalid cron expression: 0 12 * * 2 *. Both, a day-of-week AND a day-of-month parameter, are not supported.");
    }

    @Test
    void shouldRejectAwsDayOfWeekWhenAboveSeven() {
        assertThat(violationsOfMinimalWith("triggers:\n  schedules:\n    - cron: cron(0 12 ? * 8 *)\n")).containsExactly(
                SOURCE + ": triggers.schedules[0].cron: cron(0 12 ? * 8 *) is not a valid AWS cron expression: Value 8 not in range [1, 7]");
    }

    @Test
    void shouldQuoteCronUtilsWhenQuartzCronIsInvalid() {
        assertThat(violationsOfMinimalWith("triggers:\n  schedules:\n    - cron: \"0 0 25 * * ?\"\n")).containsExactly(
                SOURCE + ": triggers.schedules[0].cron: 0 0 25 * * ? is not a valid Quartz cron expression: Value 25 not in range [0, 23]");
    }

    @Test
    void shouldRejectCronWhenNoDateMatches() {
        assertThat(violationsOfMinimalWith("triggers:\n  schedules:\n    - cron: \"0 2 30 2 *\"\n"))
                .containsExactly(SOURCE + ": triggers.schedules[0].cron: 0 2 30 2 * never fires: no date matches it");
    }

    @Test
    void shouldCheckMemoryWhenWrittenAsWholeDecimal() {
        // Given 3000.0, which JSON Schema accepts as an integer
        assertThat(violationsOfMinimalWith("resources:\n  cpu: 1024\n  memory: 3000.0\n")).containsExactly(
                SOURCE + ": resources.memory: 3000.0 is not valid with cpu 1024 (allowed 2048-8192 in steps of 1024)");
    }

    @Test
    void shouldRejectTimeZoneWhenNotIana() {
        var violations = violationsOfMinimalWith("""
                triggers:
                  schedules:
                    - cron: "0 2 * * *"
                      timezone: Europe/Berln
                    - cron: "0 2 * * *"
                      timezone: "+02:00"
                """);
        assertThat(violations).containsExactly(
                SOURCE + ": triggers.schedules[0].timezone: Europe/Berln is not an IANA time zone (like Europe/Berlin or UTC)",
                SOURCE + ": triggers.schedules[1].timezone: +02:00 is not an IANA time zone (like Europe/Berlin or UTC)");
    }

    @Test
    void shouldQuoteEventRulerWhenPatternDoesNotCompile() {
        // Given a pattern whose leaf is a bare value, not a list
        var violations = violationsOfMinimalWith("triggers:\n  events:\n    - pattern: {source: aws.s3}\n");

        // Then
        assertThat(violations).containsExactly(SOURCE
                + ": triggers.events[0].pattern: {\"source\":\"aws.s3\"} is not a valid event pattern: \"source\" must be an object or an array");
    }
}
