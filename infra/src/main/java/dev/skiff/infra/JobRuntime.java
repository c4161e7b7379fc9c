package dev.skiff.infra;

import java.util.ArrayList;
import java.util.List;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.ec2.IVpc;
import software.amazon.awscdk.services.ec2.Peer;
import software.amazon.awscdk.services.ec2.Port;
import software.amazon.awscdk.services.ec2.SecurityGroup;
import software.amazon.awscdk.services.iam.FromRoleArnOptions;
import software.amazon.awscdk.services.iam.IRole;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.constructs.Construct;

/**
 * What every job task runs with: the role its code runs as, the role ECS uses to start it, and its security
 * group. The orchestrator passes these to every task definition it registers; a job spec cannot name a role.
 */
public final class JobRuntime extends Construct {

    private final IRole taskRole;
    private final Role executionRole;
    private final SecurityGroup securityGroup;
    private final List<WildcardGrant> wildcardGrants = new ArrayList<>();

    public JobRuntime(Construct scope, String id, SkiffSettings settings, IVpc vpc) {
        super(scope, id);
        Arns arns = new Arns(Stack.of(this));

        // No permissions: data teams attach what their jobs need, or name a role of their own in skiff:jobTaskRoleArn.
        this.taskRole = settings.jobTaskRoleArn()
                .map(arn -> Role.fromRoleArn(this, "TaskRole", arn, FromRoleArnOptions.builder().mutable(false).build()))
                .orElseGet(() -> Role.Builder.create(this, "TaskRole")
                        .assumedBy(new ServicePrincipal("ecs-tasks.amazonaws.com"))
                        .description("Skiff job tasks run as this role; it has no permissions until a data team adds some")
                        .build());

        this.executionRole = Role.Builder.create(this, "ExecutionRole")
                .assumedBy(new ServicePrincipal("ecs-tasks.amazonaws.com"))
                .description("ECS starts Skiff job tasks with this role: image pull, logs, the jobs' secrets")
                .build();
        executionRoleMay("EcrAuthorization", List.of("ecr:GetAuthorizationToken"), "*",
                "ecr:GetAuthorizationToken supports no resource-level permissions");
        executionRoleMay("PullImages", List.of("ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"),
                arns.repositories(), "a job spec names its image, from any ECR repository of the account");
        // The orchestrator's task definitions use the awslogs driver with awslogs-create-group: each job's group
        // is made on its first run.
        executionRoleMay("WriteJobLogs", List.of("logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"),
                arns.jobLogGroups(), "each job logs to its own group " + SkiffNames.JOB_LOG_GROUP_PREFIX
                        + "/<job>, created on its first run; the prefix is fixed");
        executionRoleMay("ReadJobSecrets", List.of("secretsmanager:GetSecretValue"), arns.jobSecrets(),
                "job specs name their secrets by ARN; only secrets named " + SkiffNames.JOB_SECRET_PREFIX + "... can be read");
        executionRoleMay("ReadJobParameters", List.of("ssm:GetParameters"), arns.jobParameters(),
                "job specs name their SSM parameters by ARN; only parameters under /" + SkiffNames.JOB_SECRET_PREFIX + " can be read");

        // Jobs reach AWS APIs, registries and HTTPS services; nothing connects to a job.
        this.securityGroup = SecurityGroup.Builder.create(this, "SecurityGroup")
                .vpc(vpc)
                .description("Skiff job tasks: HTTPS out, nothing in")
                .allowAllOutbound(false)
                .build();
        securityGroup.addEgressRule(Peer.anyIpv4(), Port.tcp(443), "HTTPS to AWS APIs, registries and services");
    }

    private void executionRoleMay(String sid, List<String> actions, String resource, String reason) {
        PolicyStatement statement = PolicyStatement.Builder.create().sid(sid).actions(actions).resources(List.of(resource)).build();
        executionRole.addToPrincipalPolicy(statement);
        wildcardGrants.add(new WildcardGrant(statement, reason));
    }

    /** The execution role's statements: every one has a wildcard resource. */
    public List<WildcardGrant> wildcardGrants() {
        return List.copyOf(wildcardGrants);
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
