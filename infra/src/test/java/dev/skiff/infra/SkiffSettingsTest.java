package dev.skiff.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SkiffSettingsTest {

    private static final Map<String, Object> REQUIRED = Map.of(
            SkiffSettings.REGION, "eu-central-1",
            SkiffSettings.ORCHESTRATOR_IMAGE, "123456789012.dkr.ecr.eu-central-1.amazonaws.com/skiff:0.1.0");

    private static SkiffSettings read(Map<String, Object> context, Map<String, String> env) {
        Map<String, Object> all = new HashMap<>(REQUIRED);
        all.putAll(context);
        all.values().removeIf(v -> v == null || "".equals(v));
        return SkiffSettings.from(all::get, env, Path.of(""));
    }

    private static SkiffSettings read(Map<String, Object> context) {
        return read(context, Map.of());
    }

    @Test
    void shouldUseDefaultsWhenOnlyTheRequiredValuesAreGiven() {
        SkiffSettings settings = read(Map.of());

        assertThat(settings.region()).isEqualTo("eu-central-1");
        assertThat(settings.account()).isEmpty();
        assertThat(settings.importedVpc()).isEmpty();
        assertThat(settings.vpcCidr()).isEqualTo("10.0.0.0/16");
        assertThat(settings.natGateways()).isEqualTo(1);
        assertThat(settings.logRetentionDays()).isEqualTo(30);
        assertThat(settings.orchestratorMinTasks()).isEqualTo(1);
        assertThat(settings.orchestratorMaxTasks()).isEqualTo(4);
        assertThat(settings.eventBusName()).isEqualTo("skiff");
        assertThat(settings.certificateArn()).isEmpty();
        assertThat(settings.triggerJar()).isRegularFile().hasFileName("skiff-lambda-trigger.jar");
    }

    @Test
    void shouldTakeTheRegionAndAccountFromTheCliEnvironmentWhenTheContextHasNone() {
        Map<String, Object> noRegion = new HashMap<>();
        noRegion.put(SkiffSettings.REGION, "");
        SkiffSettings settings = read(noRegion, Map.of("CDK_DEFAULT_REGION", "us-east-1", "CDK_DEFAULT_ACCOUNT", "111122223333"));

        assertThat(settings.region()).isEqualTo("us-east-1");
        assertThat(settings.account()).contains("111122223333");
    }

    @Test
    void shouldNameKeyValueAndRuleWhenAValueIsBad() {
        assertThatThrownBy(() -> read(Map.of(SkiffSettings.LOG_RETENTION_DAYS, "10")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("skiff:logRetentionDays: 10 must be one of 1, 3, 5, 7, 14, 30");
        assertThatThrownBy(() -> read(Map.of(SkiffSettings.ORCHESTRATOR_IMAGE, "skiff")))
                .hasMessageContaining("skiff:orchestratorImage: skiff must be an image URI with a tag or digest");
        assertThatThrownBy(() -> read(Map.of(SkiffSettings.EVENT_BUS_NAME, "default")))
                .hasMessageContaining("skiff:eventBusName: default is the account's own bus");
    }

    @Test
    void shouldReportEveryProblemAtOnceWhenSeveralValuesAreBad() {
        Map<String, Object> context = new HashMap<>();
        context.put(SkiffSettings.ORCHESTRATOR_IMAGE, "");
        context.put(SkiffSettings.REGION, "Frankfurt");
        context.put(SkiffSettings.ORCHESTRATOR_MIN_TASKS, "3");
        context.put(SkiffSettings.ORCHESTRATOR_MAX_TASKS, "2");
        context.put(SkiffSettings.ALARM_EMAIL, "ops");

        assertThatThrownBy(() -> read(context))
                .hasMessageContaining("skiff:region: Frankfurt must be an AWS region like eu-central-1")
                .hasMessageContaining("skiff:orchestratorImage: is required")
                .hasMessageContaining("skiff:orchestratorMaxTasks: 2 must not be below skiff:orchestratorMinTasks (3)")
                .hasMessageContaining("skiff:alarmEmail: ops must be an email address");
    }

    @Test
    void shouldReadAnImportedVpcFromJsonListsOrCommaSeparatedText() {
        SkiffSettings fromLists = read(Map.of(
                SkiffSettings.VPC_ID, "vpc-0123456789abcdef0",
                SkiffSettings.VPC_CIDR, "172.31.0.0/16",
                SkiffSettings.AVAILABILITY_ZONES, List.of("eu-central-1a", "eu-central-1b"),
                SkiffSettings.PRIVATE_SUBNET_IDS, List.of("subnet-0aaaaaaaaaaaaaaa1", "subnet-0bbbbbbbbbbbbbbb2")));
        SkiffSettings fromText = read(Map.of(
                SkiffSettings.VPC_ID, "vpc-0123456789abcdef0",
                SkiffSettings.VPC_CIDR, "172.31.0.0/16",
                SkiffSettings.AVAILABILITY_ZONES, "eu-central-1a, eu-central-1b",
                SkiffSettings.PRIVATE_SUBNET_IDS, "subnet-0aaaaaaaaaaaaaaa1,subnet-0bbbbbbbbbbbbbbb2"));

        assertThat(fromText.importedVpc()).isEqualTo(fromLists.importedVpc());
        assertThat(fromLists.importedVpc().orElseThrow().privateSubnetIds())
                .containsExactly("subnet-0aaaaaaaaaaaaaaa1", "subnet-0bbbbbbbbbbbbbbb2");
        assertThat(fromLists.vpcCidr()).isEqualTo("172.31.0.0/16");
    }

    @Test
    void shouldRefuseAnImportedVpcWithOneZoneOrMismatchedSubnetsOrNoCidr() {
        assertThatThrownBy(() -> read(Map.of(
                SkiffSettings.VPC_ID, "vpc-0123456789abcdef0",
                SkiffSettings.AVAILABILITY_ZONES, "eu-central-1a",
                SkiffSettings.PRIVATE_SUBNET_IDS, "subnet-0aaaaaaaaaaaaaaa1,subnet-0bbbbbbbbbbbbbbb2")))
                .hasMessageContaining("skiff:vpcCidr: is required with skiff:vpcId")
                .hasMessageContaining("skiff:availabilityZones: [eu-central-1a] must name at least 2 availability zones")
                .hasMessageContaining("skiff:privateSubnetIds: [subnet-0aaaaaaaaaaaaaaa1, subnet-0bbbbbbbbbbbbbbb2] must name one"
                        + " private subnet for each of the 1 zones");
        assertThatThrownBy(() -> read(Map.of(SkiffSettings.PRIVATE_SUBNET_IDS, "subnet-0aaaaaaaaaaaaaaa1")))
                .hasMessageContaining("skiff:privateSubnetIds: is set but skiff:vpcId is not");
        assertThatThrownBy(() -> read(Map.of(SkiffSettings.VPC_ID, "vpc-1")))
                .hasMessageContaining("skiff:vpcId: vpc-1 must be a VPC id like vpc-0123456789abcdef0");
    }

    @Test
    void shouldRefuseANewVpcRangeTooSmallForItsSubnets() {
        assertThatThrownBy(() -> read(Map.of(SkiffSettings.VPC_CIDR, "10.1.0.0/20")))
                .hasMessageContaining("skiff:vpcCidr: 10.1.0.0/20 is too small for a new VPC");
    }

    @Test
    void shouldNameTheBuildCommandWhenTheTriggerJarIsMissing() {
        assertThatThrownBy(() -> read(Map.of(SkiffSettings.TRIGGER_JAR, "target/no-such.jar")))
                .hasMessageContaining("skiff:triggerJar: ")
                .hasMessageContaining("no-such.jar does not exist: build it with ./mvnw -pl lambda-trigger -am package");
    }

    @Test
    void shouldFindTheRepositoryRootAboveTheModule() {
        assertThat(SkiffSettings.repositoryRoot(Path.of(""))).hasValueSatisfying(root ->
                assertThat(root.resolve("lambda-trigger/pom.xml")).isRegularFile());
    }

    @Test
    void shouldReadTeamsAndRefuseNamesThatAreNotSafeInAnArnOrTwice() {
        assertThat(read(Map.of(SkiffSettings.TEAMS, "analytics, billing")).teams()).containsExactly("analytics", "billing");
        assertThat(read(Map.of(SkiffSettings.TEAMS, List.of("analytics"))).teams()).containsExactly("analytics");
        assertThat(read(Map.of()).teams()).isEmpty();
        assertThatThrownBy(() -> read(Map.of(SkiffSettings.TEAMS, "analytics,team/*,analytics")))
                .hasMessageContaining("skiff:teams: team/* must be a job owner (1-64 lowercase letters, digits and '-',"
                        + " starting and ending with a letter or digit)")
                .hasMessageContaining("skiff:teams: analytics is named twice");
    }

    @Test
    void shouldReadTheNotificationTopicsAndRefuseAWildcardOrSomethingElse() {
        assertThat(read(Map.of()).notifyTopicPrefix()).isEqualTo("skiff-notify-");
        assertThat(read(Map.of()).notifyTopicArns()).isEmpty();
        SkiffSettings configured = read(Map.of(SkiffSettings.NOTIFY_TOPIC_PREFIX, "data-alerts-",
                SkiffSettings.NOTIFY_TOPIC_ARNS, List.of("arn:aws:sns:eu-west-1:210987654321:ops-pager.fifo")));
        assertThat(configured.notifyTopicPrefix()).isEqualTo("data-alerts-");
        assertThat(configured.notifyTopicArns()).containsExactly("arn:aws:sns:eu-west-1:210987654321:ops-pager.fifo");
        assertThatThrownBy(() -> read(Map.of(SkiffSettings.NOTIFY_TOPIC_PREFIX, "data-*",
                SkiffSettings.NOTIFY_TOPIC_ARNS, "arn:aws:sns:eu-west-1:210987654321:*,arn:aws:sqs:eu-west-1:210987654321:q")))
                .hasMessageContaining("skiff:notifyTopicPrefix: data-* must be the start of SNS topic names")
                .hasMessageContaining("skiff:notifyTopicArns: arn:aws:sns:eu-west-1:210987654321:* must be an SNS topic ARN")
                .hasMessageContaining("skiff:notifyTopicArns: arn:aws:sqs:eu-west-1:210987654321:q must be an SNS topic ARN");
    }
}
