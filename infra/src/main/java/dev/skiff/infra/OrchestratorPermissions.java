package dev.skiff.infra;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.ecs.ICluster;
import software.amazon.awscdk.services.iam.IRole;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.s3.IBucket;
import software.constructs.Construct;

/**
 * What the orchestrator's task role may do, statement by statement, each as narrow as the service's
 * authorization model allows. Every statement names its actions; none uses {@code *} or {@code service:*}.
 * The statements with a wildcard resource are listed in {@link #wildcardResourceReasons} with the reason.
 */
public final class OrchestratorPermissions extends Construct {

    private final List<PolicyStatement> statements = new ArrayList<>();
    private final List<WildcardGrant> wildcardGrants = new ArrayList<>();

    /** The roles and resources the orchestrator works with. */
    public record Targets(IRole taskRole, ICluster cluster, Queues queues, IBucket jobsBucket, JobRuntime jobs,
                          StateMachineRole stateMachineRole, SkiffSettings settings) {
    }

    public OrchestratorPermissions(Construct scope, String id, Targets targets) {
        super(scope, id);
        Arns arns = new Arns(Stack.of(this));
        String clusterArn = targets.cluster().getClusterArn();
        Map<String, Object> inCluster = Map.of("ArnEquals", Map.of("ecs:cluster", clusterArn));

        // --- ECS: launch, watch and stop job tasks ---
        wildcard("RunJobTasks", "RunTask is scoped to the job families skiff-<job>, whose revisions the orchestrator"
                        + " registers at run time, and to Skiff's cluster",
                List.of("ecs:RunTask"), List.of(arns.jobTaskDefinitions()), inCluster);
        wildcard("ManageJobTasks", "task ids are assigned by ECS at launch; the ARNs are scoped to Skiff's cluster",
                List.of("ecs:StopTask", "ecs:DescribeTasks"), List.of(arns.tasksIn(targets.cluster().getClusterName())), inCluster);
        wildcard("ListJobTasks", "ListTasks has no task resource (its resource type is container-instance, which Fargate"
                        + " has none of); the ecs:cluster condition limits it to Skiff's cluster",
                List.of("ecs:ListTasks"), List.of("*"), inCluster);
        wildcard("ManageTaskDefinitions", "RegisterTaskDefinition, DeregisterTaskDefinition, DescribeTaskDefinition and"
                        + " ListTaskDefinitions support no resource-level permissions (Service Authorization Reference)",
                List.of("ecs:RegisterTaskDefinition", "ecs:DeregisterTaskDefinition", "ecs:DescribeTaskDefinition",
                        "ecs:ListTaskDefinitions"), List.of("*"), null);
        wildcard("TagOnCreate", "tags are set on the job task definitions and tasks as they are created (ecs:CreateAction),"
                        + " whose names and ids exist only then",
                List.of("ecs:TagResource"), List.of(arns.jobTaskDefinitions(), arns.tasksIn(targets.cluster().getClusterName())),
                Map.of("StringEquals", Map.of("ecs:CreateAction", List.of("RunTask", "RegisterTaskDefinition"))));
        grant("PassJobRoles", List.of("iam:PassRole"),
                jobRoleArns(targets.jobs()),
                Map.of("StringEquals", Map.of("iam:PassedToService", "ecs-tasks.amazonaws.com")));

        // --- Step Functions: one state machine per job, one execution per run ---
        grant("PassStateMachineRole", List.of("iam:PassRole"), List.of(targets.stateMachineRole().role().getRoleArn()),
                Map.of("StringEquals", Map.of("iam:PassedToService", "states.amazonaws.com")));
        wildcard("ManageJobStateMachines", "the orchestrator creates state machine skiff-<job> before a job first runs;"
                        + " the ARNs are limited to that prefix",
                List.of("states:CreateStateMachine", "states:UpdateStateMachine", "states:DescribeStateMachine",
                        "states:PublishStateMachineVersion", "states:ListStateMachineVersions", "states:TagResource",
                        "states:StartExecution", "states:ListExecutions"),
                List.of(arns.jobStateMachines()), null);
        wildcard("ListStateMachines", "ListStateMachines supports no resource-level permissions",
                List.of("states:ListStateMachines"), List.of("*"), null);
        wildcard("ManageRuns", "each execution is named by its run id at run time; the ARNs are limited to Skiff's state machines",
                List.of("states:DescribeExecution", "states:StopExecution", "states:GetExecutionHistory"),
                List.of(arns.jobExecutions()), null);
        // The Service Authorization Reference lists no required resource type for SendTask* (only an optional
        // activity). For a task token issued by a state machine's task state, Step Functions authorizes the call
        // against that state machine's ARN: an AccessDenied names "...:stateMachine:<name>", and aws-cdk-lib's
        // StateMachine.grantTaskResponse grants these actions on the state machine. So the grant is limited to
        // skiff-* state machines, as the issue demands, and a token of any other state machine is refused.
        wildcard("AnswerJobTaskTokens", "task tokens are answered only for Skiff's state machines (skiff-*), created at run time",
                List.of("states:SendTaskSuccess", "states:SendTaskFailure", "states:SendTaskHeartbeat"),
                List.of(arns.jobStateMachines()), null);

        // --- SQS: the three queues ---
        Queues queues = targets.queues();
        grant("ConsumeQueues", List.of("sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility",
                        "sqs:GetQueueAttributes"),
                queues.all().stream().map(q -> q.queue().getQueueArn()).toList(), null);
        // Retries are re-sent to the intake queue with a delay; unreadable messages are dead-lettered with a reason.
        grant("SendToIntake", List.of("sqs:SendMessage"),
                List.of(queues.intake().queue().getQueueArn(), queues.intake().deadLetterQueue().getQueueArn()), null);

        // --- S3: the job registry ---
        IBucket bucket = targets.jobsBucket();
        wildcard("ReadWriteJobSpecs", "job specs are objects under jobs/, one per job, named by data teams at run time",
                List.of("s3:GetObject", "s3:PutObject", "s3:DeleteObject"),
                List.of(bucket.arnForObjects(Buckets.JOBS_PREFIX + "*")), null);
        grant("ListJobSpecs", List.of("s3:ListBucket"), List.of(bucket.getBucketArn()),
                Map.of("StringLike", Map.of("s3:prefix", List.of(Buckets.JOBS_PREFIX, Buckets.JOBS_PREFIX + "*"))));

        // --- SNS: jobs' notifications (notify: arn:aws:sns:...) ---
        // A job's owner names the topic; the role, not the spec, decides which topics are reachable, so a spec cannot
        // make the orchestrator publish into another team's or the stack's own topics.
        List<String> topics = new ArrayList<>();
        topics.add(arns.topicsStartingWith(targets.settings().notifyTopicPrefix()));
        topics.addAll(targets.settings().notifyTopicArns());
        wildcard("PublishNotifications", "jobs name their notification topics in their specs at run time; the ARNs are"
                        + " limited to the topics of the stack's account and region named "
                        + targets.settings().notifyTopicPrefix() + "*, and the topics listed in skiff:notifyTopicArns",
                List.of("sns:Publish"), topics, null);

        // --- CloudWatch Logs: GET /runs/{id}/log reads a Fargate attempt's awslogs stream ---
        wildcard("ReadJobLogs", "each job logs to its own group " + SkiffNames.JOB_LOG_GROUP_PREFIX + "/<job>, created on"
                        + " its first run, one stream per task; reading only, and only those groups",
                List.of("logs:GetLogEvents"), List.of(arns.jobLogGroups()), null);

        statements.forEach(targets.taskRole()::addToPrincipalPolicy);
    }

    private void grant(String sid, List<String> actions, List<String> resources, Map<String, Object> conditions) {
        var builder = PolicyStatement.Builder.create().sid(sid).actions(actions).resources(resources);
        if (conditions != null) {
            builder.conditions(conditions);
        }
        statements.add(builder.build());
    }

    private void wildcard(String sid, String reason, List<String> actions, List<String> resources, Map<String, Object> conditions) {
        grant(sid, actions, resources, conditions);
        wildcardGrants.add(new WildcardGrant(statements.get(statements.size() - 1), reason));
    }

    public List<PolicyStatement> statements() {
        return List.copyOf(statements);
    }

    public List<WildcardGrant> wildcardGrants() {
        return List.copyOf(wildcardGrants);
    }

    /** The task role, every execution role (the shared one and each team's) and each team's task role. */
    private static List<String> jobRoleArns(JobRuntime jobs) {
        List<String> arns = new java.util.ArrayList<>();
        arns.add(jobs.taskRole().getRoleArn());
        jobs.executionRoles().forEach(role -> arns.add(role.getRoleArn()));
        jobs.teamTaskRoles().values().forEach(role -> arns.add(role.getRoleArn()));
        return arns;
    }
}
