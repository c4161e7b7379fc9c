package dev.skiff.infra;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.ec2.IVpc;
import software.amazon.awscdk.services.ec2.Peer;
import software.amazon.awscdk.services.ec2.Port;
import software.amazon.awscdk.services.ec2.SecurityGroup;
import software.amazon.awscdk.services.iam.FromRoleArnOptions;
import software.amazon.awscdk.services.iam.IRole;
import software.amazon.awscdk.services.s3.IBucket;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.constructs.Construct;

/**
 * What every job task runs with: the role its code runs as, the role ECS uses to start it (its owner team's, which
 * reads only that team's secrets, or a shared one that reads none), and its security group. The orchestrator passes these to every task definition it registers; a job spec cannot name a role.
 */
public final class JobRuntime extends Construct {

    private final IRole taskRole;
    private final Role executionRole;
    private final SecurityGroup securityGroup;
    private final Map<Role, List<WildcardGrant>> wildcardGrants = new LinkedHashMap<>();
    private final Map<String, Role> teamExecutionRoles = new LinkedHashMap<>();
    private final Map<String, Role> teamTaskRoles = new LinkedHashMap<>();
    private final Arns arns;

    public JobRuntime(Construct scope, String id, SkiffSettings settings, IVpc vpc) {
        super(scope, id);
        this.arns = new Arns(Stack.of(this));

        // No permissions: data teams attach what their jobs need, or name a role of their own in skiff:jobTaskRoleArn.
        this.taskRole = settings.jobTaskRoleArn()
                .map(arn -> Role.fromRoleArn(this, "TaskRole", arn, FromRoleArnOptions.builder().mutable(false).build()))
                .orElseGet(() -> Role.Builder.create(this, "TaskRole")
                        .assumedBy(new ServicePrincipal("ecs-tasks.amazonaws.com"))
                        .description("Skiff job tasks run as this role; it has no permissions until a data team adds some")
                        .build());

        // The shared role reads no secret: it starts jobs without secrets of owners that have no role of their own.
        this.executionRole = executionRole("ExecutionRole",
                "ECS starts Skiff job tasks without secrets with this role: image pull and logs, no secret");
        // One role per team, reading only skiff/<team>/: a spec may name only its owner's secrets, and its task
        // starts with its owner's role, so no team's job can read another team's secret.
        for (String team : settings.teams()) {
            Role role = executionRole("ExecutionRole-" + team,
                    "ECS starts the Skiff jobs of team " + team + " with this role: image pull, logs, the team's secrets");
            roleMay(role, "ReadTeamSecrets", List.of("secretsmanager:GetSecretValue"), arns.teamSecrets(team),
                    "job specs name their secrets by ARN; this team's role reads only secrets named "
                            + SkiffNames.JOB_SECRET_PREFIX + team + "/...");
            roleMay(role, "ReadTeamParameters", List.of("ssm:GetParameters"), arns.teamParameters(team),
                    "job specs name their SSM parameters by ARN; this team's role reads only parameters under /"
                            + SkiffNames.JOB_SECRET_PREFIX + team + "/");
            teamExecutionRoles.put(team, role);
        }

        // One task role per team, for its pipelines' steps: it may write step outputs only under the team's own
        // prefix (Buckets.STEP_OUTPUTS_PREFIX + <team>/), so no team's job can forge what another team's next step
        // reads. It has no other permission; the orchestrator reads the output when the task stops.
        for (String team : settings.teams()) {
            teamTaskRoles.put(team, Role.Builder.create(this, "TaskRole-" + team)
                    .assumedBy(new ServicePrincipal("ecs-tasks.amazonaws.com"))
                    .description("Skiff job tasks of team " + team + " run as this role: it writes step outputs under"
                            + " the team's prefix; data teams add what their jobs need")
                    .build());
        }

        // Jobs reach AWS APIs, registries and HTTPS services; nothing connects to a job.
        this.securityGroup = SecurityGroup.Builder.create(this, "SecurityGroup")
                .vpc(vpc)
                .description("Skiff job tasks: HTTPS out, nothing in")
                .allowAllOutbound(false)
                .build();
        securityGroup.addEgressRule(Peer.anyIpv4(), Port.tcp(443), "HTTPS to AWS APIs, registries and services");
    }

    /** A role ECS starts job tasks with: it may pull images and write the jobs' logs. */
    private Role executionRole(String id, String description) {
        Role role = Role.Builder.create(this, id)
                .assumedBy(new ServicePrincipal("ecs-tasks.amazonaws.com"))
                .description(description)
                .build();
        roleMay(role, "EcrAuthorization", List.of("ecr:GetAuthorizationToken"), "*",
                "ecr:GetAuthorizationToken supports no resource-level permissions");
        roleMay(role, "PullImages", List.of("ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"),
                arns.repositories(), "a job spec names its image, from any ECR repository of the account");
        // The orchestrator's task definitions use the awslogs driver with awslogs-create-group: each job's group
        // is made on its first run.
        roleMay(role, "WriteJobLogs", List.of("logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"),
                arns.jobLogGroups(), "each job logs to its own group " + SkiffNames.JOB_LOG_GROUP_PREFIX
                        + "/<job>, created on its first run; the prefix is fixed");
        return role;
    }

    private void roleMay(Role role, String sid, List<String> actions, String resource, String reason) {
        PolicyStatement statement = PolicyStatement.Builder.create().sid(sid).actions(actions).resources(List.of(resource)).build();
        role.addToPrincipalPolicy(statement);
        wildcardGrants.computeIfAbsent(role, r -> new ArrayList<>()).add(new WildcardGrant(statement, reason));
    }

    /** Each execution role's and team task role's statements: every one has a wildcard resource. */
    public Map<Role, List<WildcardGrant>> wildcardGrants() {
        return Collections.unmodifiableMap(wildcardGrants);
    }

    /** Each team's execution role (from {@code skiff:teams}), in the order the teams were named. */
    public Map<String, Role> teamExecutionRoles() {
        return Collections.unmodifiableMap(teamExecutionRoles);
    }

    /**
     * Lets each team's task role write step outputs under {@code <jobs bucket>/}{@value Buckets#STEP_OUTPUTS_PREFIX}
     * {@code <team>/}: the object {@code SKIFF_OUTPUT_URI} names for the team's tasks.
     */
    public void writeStepOutputsTo(IBucket jobsBucket) {
        teamTaskRoles.forEach((team, role) -> roleMay(role, "WriteStepOutputs", List.of("s3:PutObject"),
                jobsBucket.arnForObjects(Buckets.STEP_OUTPUTS_PREFIX + team + "/*"),
                "each run, step, item and attempt writes its own object, named at run time; the prefix is the team's own"));
    }

    /** Each team's task role (from {@code skiff:teams}), in the order the teams were named. */
    public Map<String, Role> teamTaskRoles() {
        return Collections.unmodifiableMap(teamTaskRoles);
    }

    /** Every execution role: the shared one first, then the teams'. */
    public List<Role> executionRoles() {
        List<Role> all = new ArrayList<>();
        all.add(executionRole);
        all.addAll(teamExecutionRoles.values());
        return all;
    }

    public IRole taskRole() {
        return taskRole;
    }

    public Role executionRole() {
        return executionRole;
    }

    public SecurityGroup securityGroup() {
        return securityGroup;
    }
}
