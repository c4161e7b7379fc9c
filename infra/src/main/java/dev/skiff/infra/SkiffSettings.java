package dev.skiff.infra;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * What the stack is built from: CDK context values ({@code -c skiff:key=value} or {@code cdk.json}) with
 * defaults. {@link #from} reports every bad value at once, each naming the key, the value and the rule.
 *
 * @param region               {@code skiff:region}, else {@code CDK_DEFAULT_REGION} (set by the CDK CLI)
 * @param account              {@code skiff:account}, else {@code CDK_DEFAULT_ACCOUNT}; absent: the template is account-agnostic
 * @param orchestratorImage    {@code skiff:orchestratorImage}: the orchestrator's image URI, with a tag or digest (required)
 * @param importedVpc          {@code skiff:vpcId} with {@code skiff:availabilityZones} and {@code skiff:privateSubnetIds};
 *                             absent: the stack makes a VPC
 * @param vpcCidr              {@code skiff:vpcCidr}: the VPC's IPv4 range, the callers the API admits: of the new VPC
 *                             (default 10.0.0.0/16), or of the imported one (then required)
 * @param natGateways          {@code skiff:natGateways}: NAT gateways of a new VPC (default 1)
 * @param jobTaskRoleArn       {@code skiff:jobTaskRoleArn}: an existing role for job tasks instead of a new, empty one
 * @param certificateArn       {@code skiff:certificateArn}: an ACM certificate; the API then listens on HTTPS (443)
 * @param alarmEmail           {@code skiff:alarmEmail}: subscribed to the alarm topic
 * @param logRetentionDays     {@code skiff:logRetentionDays} (default 30)
 * @param orchestratorMinTasks {@code skiff:orchestratorMinTasks} (default 1)
 * @param orchestratorMaxTasks {@code skiff:orchestratorMaxTasks} (default 4)
 * @param eventBusName         {@code skiff:eventBusName}: the bus upstream systems put events on (default {@code skiff})
 * @param triggerJar           {@code skiff:triggerJar}, else {@code lambda-trigger/target/skiff-lambda-trigger.jar} of this repository
 * @param webhookRateLimit     {@code skiff:webhookRateLimit}: webhook requests a second, steady (default 20)
 * @param webhookBurstLimit    {@code skiff:webhookBurstLimit}: webhook requests at once (default 40)
 * @param teams                {@code skiff:teams}: the job owners whose jobs may have secrets; each gets an execution
 *                             role that reads only {@code skiff/<team>/} (default none)
 * @param notifyTopicPrefix    {@code skiff:notifyTopicPrefix}: the orchestrator may publish jobs' notifications to the
 *                             SNS topics of the stack's account and region whose names start with it (default
 *                             {@code skiff-notify-})
 * @param notifyTopicArns      {@code skiff:notifyTopicArns}: further SNS topics it may publish to, by full ARN (another
 *                             account's, or a name outside the prefix; default none)
 */
public record SkiffSettings(
        String region,
        Optional<String> account,
        String orchestratorImage,
        Optional<ImportedVpc> importedVpc,
        String vpcCidr,
        int natGateways,
        Optional<String> jobTaskRoleArn,
        Optional<String> certificateArn,
        Optional<String> alarmEmail,
        int logRetentionDays,
        int orchestratorMinTasks,
        int orchestratorMaxTasks,
        String eventBusName,
        Path triggerJar,
        int webhookRateLimit,
        int webhookBurstLimit,
        List<String> teams,
        String notifyTopicPrefix,
        List<String> notifyTopicArns) {

    public SkiffSettings {
        teams = List.copyOf(teams);
        notifyTopicArns = List.copyOf(notifyTopicArns);
    }

    /** An existing VPC, described by context values, since looking it up would need AWS credentials at synth. */
    public record ImportedVpc(String vpcId, List<String> availabilityZones, List<String> privateSubnetIds) {
    }

    public static final String REGION = "skiff:region";
    public static final String ACCOUNT = "skiff:account";
    public static final String ORCHESTRATOR_IMAGE = "skiff:orchestratorImage";
    public static final String VPC_ID = "skiff:vpcId";
    public static final String VPC_CIDR = "skiff:vpcCidr";
    public static final String AVAILABILITY_ZONES = "skiff:availabilityZones";
    public static final String PRIVATE_SUBNET_IDS = "skiff:privateSubnetIds";
    public static final String NAT_GATEWAYS = "skiff:natGateways";
    public static final String JOB_TASK_ROLE_ARN = "skiff:jobTaskRoleArn";
    public static final String CERTIFICATE_ARN = "skiff:certificateArn";
    public static final String ALARM_EMAIL = "skiff:alarmEmail";
    public static final String LOG_RETENTION_DAYS = "skiff:logRetentionDays";
    public static final String ORCHESTRATOR_MIN_TASKS = "skiff:orchestratorMinTasks";
    public static final String ORCHESTRATOR_MAX_TASKS = "skiff:orchestratorMaxTasks";
    public static final String EVENT_BUS_NAME = "skiff:eventBusName";
    public static final String TRIGGER_JAR = "skiff:triggerJar";
    public static final String WEBHOOK_RATE_LIMIT = "skiff:webhookRateLimit";
    public static final String WEBHOOK_BURST_LIMIT = "skiff:webhookBurstLimit";
    public static final String TEAMS = "skiff:teams";
    public static final String NOTIFY_TOPIC_PREFIX = "skiff:notifyTopicPrefix";
    public static final String NOTIFY_TOPIC_ARNS = "skiff:notifyTopicArns";

    public static final String DEFAULT_VPC_CIDR = "10.0.0.0/16";
    public static final int DEFAULT_NAT_GATEWAYS = 1;
    public static final int DEFAULT_LOG_RETENTION_DAYS = 30;
    public static final int DEFAULT_ORCHESTRATOR_MIN_TASKS = 1;
    public static final int DEFAULT_ORCHESTRATOR_MAX_TASKS = 4;
    public static final String DEFAULT_EVENT_BUS_NAME = "skiff";
    public static final int DEFAULT_WEBHOOK_RATE_LIMIT = 20;
    public static final int DEFAULT_WEBHOOK_BURST_LIMIT = 40;
    /** Not {@code skiff-}: the stack's own topics, named {@code <stack>-...} by CloudFormation, stay out of reach. */
    public static final String DEFAULT_NOTIFY_TOPIC_PREFIX = "skiff-notify-";
    /** Where the trigger's shaded jar lies, from the repository root. */
    public static final String TRIGGER_JAR_IN_REPOSITORY = "lambda-trigger/target/skiff-lambda-trigger.jar";

    /** CloudWatch Logs accepts only these retention periods; this is the subset offered here. */
    public static final Set<Integer> RETENTION_DAYS = Set.of(1, 3, 5, 7, 14, 30, 60, 90, 180, 365, 731, 1827, 3653);

    private static final Pattern REGION_PATTERN = Pattern.compile("[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\\d");
    private static final Pattern ACCOUNT_PATTERN = Pattern.compile("\\d{12}");
    private static final Pattern IMAGE_PATTERN =
            Pattern.compile("[a-z0-9][a-z0-9.-]*(:\\d+)?(/[a-z0-9._-]+)+(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}|@sha256:[0-9a-f]{64})");
    private static final Pattern VPC_PATTERN = Pattern.compile("vpc-[0-9a-f]{8,17}");
    private static final Pattern SUBNET_PATTERN = Pattern.compile("subnet-[0-9a-f]{8,17}");
    private static final Pattern ZONE_PATTERN = Pattern.compile("[a-z]{2}(-gov)?-[a-z]+-\\d[a-z]");
    private static final Pattern CIDR_PATTERN =
            Pattern.compile("((25[0-5]|2[0-4]\\d|1?\\d?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1?\\d?\\d)/(1[6-9]|2[0-8])");
    private static final Pattern ROLE_PATTERN = Pattern.compile("arn:aws[a-z-]*:iam::\\d{12}:role/[\\w+=,.@/-]{1,512}");
    private static final Pattern CERTIFICATE_PATTERN =
            Pattern.compile("arn:aws[a-z-]*:acm:[a-z0-9-]+:\\d{12}:certificate/[0-9a-f-]{36}");
    private static final Pattern EMAIL_PATTERN = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");
    /** A job spec's owner alphabet: no '*', '?' or '/', so skiff/<team>/* in a policy matches that team's path only. */
    private static final Pattern TEAM_PATTERN = Pattern.compile("[a-z0-9]([a-z0-9-]{0,62}[a-z0-9])?");
    private static final Pattern TOPIC_PREFIX_PATTERN = Pattern.compile("[A-Za-z0-9_-]{1,200}");
    /** A whole SNS topic ARN, no wildcard: a list entry names one topic. */
    private static final Pattern TOPIC_ARN_PATTERN =
            Pattern.compile("arn:aws[a-z-]*:sns:[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\\d:\\d{12}:[A-Za-z0-9_-]{1,256}(\\.fifo)?");
    private static final Pattern BUS_PATTERN = Pattern.compile("[A-Za-z0-9._-]{1,256}");

    /**
     * @param context          the app's context values ({@code app.getNode()::tryGetContext})
     * @param environment      the process environment (for {@code CDK_DEFAULT_REGION} and {@code CDK_DEFAULT_ACCOUNT})
     * @param workingDirectory where the repository root is looked for, upwards, when {@code skiff:triggerJar} is unset
     * @throws IllegalArgumentException naming every bad or missing value
     */
    public static SkiffSettings from(Function<String, Object> context, Map<String, String> environment, Path workingDirectory) {
        var read = new Reader(context);

        String region = read.text(REGION).or(() -> nonBlank(environment.get("CDK_DEFAULT_REGION"))).orElse(null);
        if (region == null) {
            read.problem(REGION, "is required (or CDK_DEFAULT_REGION, which the CDK CLI sets from the AWS configuration):"
                    + " the region to deploy to, like eu-central-1");
        } else if (!REGION_PATTERN.matcher(region).matches()) {
            read.problem(REGION, region + " must be an AWS region like eu-central-1");
        }
        Optional<String> account = read.text(ACCOUNT).or(() -> nonBlank(environment.get("CDK_DEFAULT_ACCOUNT")));
        account.filter(a -> !ACCOUNT_PATTERN.matcher(a).matches())
                .ifPresent(a -> read.problem(ACCOUNT, a + " must be a 12-digit AWS account id"));

        Optional<String> image = read.text(ORCHESTRATOR_IMAGE);
        if (image.isEmpty()) {
            read.problem(ORCHESTRATOR_IMAGE, "is required: the orchestrator's image URI with a tag or digest,"
                    + " like 123456789012.dkr.ecr.eu-central-1.amazonaws.com/skiff:0.1.0");
        } else if (!IMAGE_PATTERN.matcher(image.get()).matches()) {
            read.problem(ORCHESTRATOR_IMAGE, image.get() + " must be an image URI with a tag or digest"
                    + " (registry/repository:tag or registry/repository@sha256:...), so each deployment runs one known image");
        }

        Optional<ImportedVpc> vpc = importedVpc(read);
        Optional<String> cidr = read.text(VPC_CIDR);
        if (cidr.isEmpty() && vpc.isPresent()) {
            read.problem(VPC_CIDR, "is required with " + VPC_ID + ": the VPC's IPv4 range, whose addresses may reach the orchestrator's API");
        } else if (cidr.isPresent() && !CIDR_PATTERN.matcher(cidr.get()).matches()) {
            read.problem(VPC_CIDR, cidr.get() + " must be an IPv4 CIDR block from /16 to /28, like 10.0.0.0/16");
        } else if (cidr.isPresent() && vpc.isEmpty() && Integer.parseInt(cidr.get().substring(cidr.get().indexOf('/') + 1)) > 18) {
            read.problem(VPC_CIDR, cidr.get() + " is too small for a new VPC: its two /20 private and two /24 public subnets"
                    + " need a /18 or larger");
        }
        int natGateways = read.number(NAT_GATEWAYS, DEFAULT_NAT_GATEWAYS, 1, 2);
        vpc.filter(v -> read.text(NAT_GATEWAYS).isPresent())
                .ifPresent(v -> read.problem(NAT_GATEWAYS, read.text(NAT_GATEWAYS).get()
                        + " applies to a new VPC only; remove it, or remove " + VPC_ID));

        Optional<String> jobTaskRole = read.matching(JOB_TASK_ROLE_ARN, ROLE_PATTERN, "an IAM role ARN");
        Optional<String> certificate = read.matching(CERTIFICATE_ARN, CERTIFICATE_PATTERN, "an ACM certificate ARN");
        Optional<String> email = read.matching(ALARM_EMAIL, EMAIL_PATTERN, "an email address");

        int retention = read.number(LOG_RETENTION_DAYS, DEFAULT_LOG_RETENTION_DAYS, 1, 3653);
        if (!RETENTION_DAYS.contains(retention)) {
            read.problem(LOG_RETENTION_DAYS, retention + " must be one of " + RETENTION_DAYS.stream().sorted()
                    .map(String::valueOf).collect(Collectors.joining(", ")));
        }
        int minTasks = read.number(ORCHESTRATOR_MIN_TASKS, DEFAULT_ORCHESTRATOR_MIN_TASKS, 1, 20);
        int maxTasks = read.number(ORCHESTRATOR_MAX_TASKS, DEFAULT_ORCHESTRATOR_MAX_TASKS, 1, 20);
        if (maxTasks < minTasks) {
            read.problem(ORCHESTRATOR_MAX_TASKS, maxTasks + " must not be below " + ORCHESTRATOR_MIN_TASKS + " (" + minTasks + ")");
        }
        String bus = read.matching(EVENT_BUS_NAME, BUS_PATTERN, "an event bus name (letters, digits, '.', '-', '_')")
                .orElse(DEFAULT_EVENT_BUS_NAME);
        if ("default".equals(bus)) {
            read.problem(EVENT_BUS_NAME, "default is the account's own bus; Skiff needs a bus of its own to restrict who may start jobs");
        }
        Path jar = triggerJar(read, workingDirectory);
        int rate = read.number(WEBHOOK_RATE_LIMIT, DEFAULT_WEBHOOK_RATE_LIMIT, 1, 10_000);
        int burst = read.number(WEBHOOK_BURST_LIMIT, DEFAULT_WEBHOOK_BURST_LIMIT, 1, 5_000);

        List<String> teams = teams(read);
        String topicPrefix = read.matching(NOTIFY_TOPIC_PREFIX, TOPIC_PREFIX_PATTERN,
                "the start of SNS topic names (1-200 letters, digits, '-', '_'; no wildcard)").orElse(DEFAULT_NOTIFY_TOPIC_PREFIX);
        List<String> topicArns = read.list(NOTIFY_TOPIC_ARNS);
        topicArns.stream().filter(arn -> !TOPIC_ARN_PATTERN.matcher(arn).matches()).forEach(arn -> read.problem(
                NOTIFY_TOPIC_ARNS, arn + " must be an SNS topic ARN (arn:aws:sns:<region>:<account>:<topic>), no wildcard"));

        read.failOnProblems();
        return new SkiffSettings(region, account, image.get(), vpc, cidr.orElse(DEFAULT_VPC_CIDR), natGateways, jobTaskRole, certificate, email,
                retention, minTasks, maxTasks, bus, jar, rate, burst, teams, topicPrefix, topicArns);
    }

    private static List<String> teams(Reader read) {
        List<String> teams = read.list(TEAMS);
        var seen = new java.util.HashSet<String>();
        for (String team : teams) {
            if (!TEAM_PATTERN.matcher(team).matches()) {
                read.problem(TEAMS, team + " must be a job owner (1-64 lowercase letters, digits and '-',"
                        + " starting and ending with a letter or digit)");
            } else if (!seen.add(team)) {
                read.problem(TEAMS, team + " is named twice");
            }
        }
        return teams.stream().distinct().toList();
    }

    private static Optional<ImportedVpc> importedVpc(Reader read) {
        Optional<String> vpcId = read.text(VPC_ID);
        List<String> dependents = List.of(AVAILABILITY_ZONES, PRIVATE_SUBNET_IDS);
        if (vpcId.isEmpty()) {
            dependents.stream().filter(key -> read.present(key))
                    .forEach(key -> read.problem(key, "is set but " + VPC_ID + " is not; it describes an imported VPC"));
            return Optional.empty();
        }
        if (!VPC_PATTERN.matcher(vpcId.get()).matches()) {
            read.problem(VPC_ID, vpcId.get() + " must be a VPC id like vpc-0123456789abcdef0");
        }
        List<String> zones = read.list(AVAILABILITY_ZONES);
        List<String> subnets = read.list(PRIVATE_SUBNET_IDS);
        if (zones.size() < 2) {
            read.problem(AVAILABILITY_ZONES, zones + " must name at least 2 availability zones, like eu-central-1a,eu-central-1b");
        }
        zones.stream().filter(z -> !ZONE_PATTERN.matcher(z).matches())
                .forEach(z -> read.problem(AVAILABILITY_ZONES, z + " must be an availability zone name like eu-central-1a"));
        subnets.stream().filter(s -> !SUBNET_PATTERN.matcher(s).matches())
                .forEach(s -> read.problem(PRIVATE_SUBNET_IDS, s + " must be a subnet id like subnet-0123456789abcdef0"));
        if (subnets.size() != zones.size()) {
            read.problem(PRIVATE_SUBNET_IDS, subnets + " must name one private subnet for each of the "
                    + zones.size() + " zones in " + AVAILABILITY_ZONES + ", in the same order");
        }
        return Optional.of(new ImportedVpc(vpcId.get(), zones, subnets));
    }

    private static Path triggerJar(Reader read, Path workingDirectory) {
        Optional<String> configured = read.text(TRIGGER_JAR);
        Path jar;
        if (configured.isPresent()) {
            jar = workingDirectory.resolve(configured.get()).normalize();
        } else {
            Optional<Path> root = repositoryRoot(workingDirectory);
            if (root.isEmpty()) {
                read.problem(TRIGGER_JAR, "is required outside the Skiff repository (no lambda-trigger/pom.xml above "
                        + workingDirectory.toAbsolutePath() + "): the path of the trigger's shaded jar");
                return workingDirectory;
            }
            jar = root.get().resolve(TRIGGER_JAR_IN_REPOSITORY);
        }
        if (!Files.isRegularFile(jar)) {
            read.problem(TRIGGER_JAR, jar.toAbsolutePath() + " does not exist: build it with ./mvnw -pl lambda-trigger -am package");
        }
        return jar;
    }

    /** The nearest directory at or above {@code start} that holds the lambda-trigger module. */
    static Optional<Path> repositoryRoot(Path start) {
        for (Path dir = start.toAbsolutePath().normalize(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("lambda-trigger/pom.xml"))) {
                return Optional.of(dir);
            }
        }
        return Optional.empty();
    }

    private static Optional<String> nonBlank(String value) {
        return Optional.ofNullable(value).map(String::strip).filter(v -> !v.isEmpty());
    }

    /** Reads context values, collecting problems instead of failing on the first. */
    private static final class Reader {
        private final Function<String, Object> context;
        private final List<String> problems = new ArrayList<>();

        Reader(Function<String, Object> context) {
            this.context = context;
        }

        boolean present(String key) {
            return context.apply(key) != null;
        }

        Optional<String> text(String key) {
            Object value = context.apply(key);
            return value == null ? Optional.empty() : nonBlank(String.valueOf(value));
        }

        Optional<String> matching(String key, Pattern pattern, String what) {
            Optional<String> value = text(key);
            value.filter(v -> !pattern.matcher(v).matches()).ifPresent(v -> problem(key, v + " must be " + what));
            return value;
        }

        /** A JSON list (cdk.json) or a comma-separated string ({@code -c key=a,b}). */
        List<String> list(String key) {
            Object value = context.apply(key);
            if (value == null) {
                return List.of();
            }
            List<?> items = value instanceof List<?> list ? list : Arrays.asList(String.valueOf(value).split(","));
            return items.stream().map(String::valueOf).map(String::strip).filter(s -> !s.isEmpty()).toList();
        }

        int number(String key, int fallback, int min, int max) {
            Optional<String> value = text(key);
            if (value.isEmpty()) {
                return fallback;
            }
            try {
                int n = Integer.parseInt(value.get());
                if (n >= min && n <= max) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            problem(key, value.get() + " must be a whole number from " + min + " to " + max);
            return fallback;
        }

        void problem(String key, String message) {
            problems.add(key + ": " + message);
        }

        void failOnProblems() {
            if (!problems.isEmpty()) {
                throw new IllegalArgumentException("Skiff's context values are not usable:\n" + String.join("\n", problems));
            }
        }
    }
}
