package dev.skiff.orchestrator.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What each mode refuses at start, read through the same config mappings the service reads. */
class ModeConfigProblemsTest {

    private static final Map<String, String> AWS_MODE = Map.of(
            "skiff.sfn.role-arn", "arn:aws:iam::123456789012:role/skiff-sfn",
            "skiff.sfn.dispatch-queue-url", "https://sqs.us-east-1.amazonaws.com/123456789012/skiff-dispatch",
            "skiff.sfn.task-events-queue-url", "https://sqs.us-east-1.amazonaws.com/123456789012/skiff-task-events",
            "skiff.sfn.token-keys", "a-test-key-of-at-least-32-characters",
            "skiff.fargate.subnets", "subnet-1",
            "skiff.jobs.location", "s3://skiff-jobs/jobs/");

    @Test
    void shouldNameEveryMissingKeyOfAwsModeInOneMessage() {
        // Given AWS mode with none of its keys set
        SmallRyeConfig config = config(Map.of());

        // When its problems are collected into the start's message
        var message = ModeStartCheck.message(StepFunctionsMode.problems(config.getConfigMapping(SkiffConfig.class),
                config.getConfigMapping(StepFunctionsConfig.class), config.getConfigMapping(FargateConfig.class), config));

        // Then one message names each key, once, with what it is for
        assertThat(message).hasValue(String.join("; ",
                "skiff.sfn.role-arn: required with skiff.engine=stepfunctions (the role the state machines run as)",
                "skiff.sfn.dispatch-queue-url: required with skiff.engine=stepfunctions (the queue the state machines send launches to)",
                "skiff.sfn.task-events-queue-url: required with skiff.engine=stepfunctions (the queue an EventBridge rule sends"
                        + " the cluster's ECS Task State Change events to)",
                "skiff.sfn.token-keys: required, one or more keys (comma-separated, newest first) of at least 32 random"
                        + " characters each (the keys that seal each step's task token in its task; every replica needs the same list)",
                "skiff.fargate.subnets: required with skiff.launcher=fargate (the awsvpc subnets tasks run in)"));
    }

    @Test
    void shouldNameTheWrongValuesOfAwsModeAndPassWhenAllIsSet() {
        // Given a complete AWS mode, and one with a weak key, a sweep slower than half the heartbeat and a bad bucket
        var complete = config(AWS_MODE);
        var wrong = new HashMap<>(AWS_MODE);
        wrong.putAll(Map.of("skiff.sfn.token-keys", "short-key", "skiff.sfn.heartbeat", "90s",
                "skiff.jobs.location", "s3://X/jobs/"));

        // When their problems are collected
        var none = problems(complete);
        var found = problems(config(wrong));

        // Then the complete one has none, and the other names each wrong key
        assertThat(none).isEmpty();
        assertThat(found).satisfiesExactly(
                p -> assertThat(p).startsWith("skiff.sfn.token-keys[0]: a key of 9 characters"),
                p -> assertThat(p).startsWith("skiff.sfn.reconcile-interval: PT1M must be at most half of skiff.sfn.heartbeat"),
                p -> assertThat(p).startsWith("skiff.jobs.location: s3://X/jobs/ does not name a valid S3 bucket"));
    }

    @Test
    void shouldAskTheEmbeddedModeForFargateKeysOnlyWithTheFargateLauncher() {
        // Given no skiff.fargate keys
        var config = config(Map.of());

        // When / Then the Fargate launcher needs its subnets
        assertThat(EmbeddedMode.problems(config.getConfigMapping(FargateConfig.class), config))
                .containsExactly("skiff.fargate.subnets: required with skiff.launcher=fargate (the awsvpc subnets tasks run in)");
    }

    @Test
    void shouldNameEveryWrongFargatePriceKeyWithItsValueAndRule() {
        // Given a complete AWS mode with the old single-table keys and a price that is no number
        var wrong = new HashMap<>(AWS_MODE);
        wrong.putAll(Map.of("skiff.fargate.prices.vcpu-hour", "0.05",
                "skiff.fargate.prices.us-east-1.X86_64.gb-hour", "free"));

        // When / Then: one problem names both, in the keys' order
        assertThat(problems(config(wrong))).containsExactly(
                "skiff.fargate.prices.us-east-1.X86_64.gb-hour: free must be a price in USD, a number of 0 or more;"
                + " skiff.fargate.prices.vcpu-hour: is not a price key (a price key is skiff.fargate.prices.<region>"
                + ".<X86_64|ARM64>.<vcpu-hour|gb-hour|spot-vcpu-hour|spot-gb-hour|storage-gb-hour>)");
    }

    @Test
    void shouldRefuseRegionWithoutPricesUnlessConfigGivesThem() {
        // Given AWS mode in a region Skiff ships no prices of, without and with prices of its own
        var unpriced = new HashMap<>(AWS_MODE);
        unpriced.put("skiff.aws.region", "me-south-1");
        var priced = new HashMap<>(unpriced);
        for (String arch : List.of("X86_64", "ARM64")) {
            for (String field : List.of("vcpu-hour", "gb-hour", "spot-vcpu-hour", "spot-gb-hour", "storage-gb-hour")) {
                priced.put("skiff.fargate.prices.me-south-1." + arch + "." + field, "0.01");
            }
        }

        // When / Then: the start is refused with the keys to set, never priced as another region
        assertThat(problems(config(unpriced))).singleElement().asString()
                .startsWith("skiff.fargate.prices.me-south-1: Skiff has no Fargate prices for region me-south-1 (it has ")
                .contains("us-east-1", "eu-central-1", "set skiff.fargate.prices.me-south-1.X86_64.vcpu-hour, ")
                .endsWith("(or give them in skiff.fargate.prices-file)");
        assertThat(problems(config(priced))).isEmpty();
    }

    private static List<String> problems(SmallRyeConfig config) {
        return StepFunctionsMode.problems(config.getConfigMapping(SkiffConfig.class),
                config.getConfigMapping(StepFunctionsConfig.class), config.getConfigMapping(FargateConfig.class), config);
    }

    private static SmallRyeConfig config(Map<String, String> values) {
        return new SmallRyeConfigBuilder().withMapping(SkiffConfig.class).withMapping(StepFunctionsConfig.class)
                .withMapping(FargateConfig.class).withValidateUnknown(false)
                .withConverter(Duration.class, 100, new DurationConverter()) // "30s", as Quarkus reads it
                .withSources(new PropertiesConfigSource(values, "test", 100)).build();
    }
}
