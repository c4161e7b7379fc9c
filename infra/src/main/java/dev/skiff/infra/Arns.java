package dev.skiff.infra;

import software.amazon.awscdk.ArnComponents;
import software.amazon.awscdk.ArnFormat;
import software.amazon.awscdk.Stack;

/** ARNs in the stack's account and region, for resources the orchestrator creates at run time. */
final class Arns {

    private final Stack stack;

    Arns(Stack stack) {
        this.stack = stack;
    }

    String of(String service, String resource, ArnFormat format, String resourceName) {
        return stack.formatArn(ArnComponents.builder()
                .service(service).resource(resource).arnFormat(format).resourceName(resourceName).build());
    }

    /** Every revision of every job's task definition family ({@code skiff-<job>:<revision>}). */
    String jobTaskDefinitions() {
        return of("ecs", "task-definition", ArnFormat.SLASH_RESOURCE_NAME, SkiffNames.JOB_PREFIX + "*:*");
    }

    /** The start of every job task definition's ARN, for prefix matching in event patterns. */
    String jobTaskDefinitionPrefix() {
        return of("ecs", "task-definition", ArnFormat.SLASH_RESOURCE_NAME, SkiffNames.JOB_PREFIX);
    }

    /** Every task in the cluster (task ARNs carry the cluster's name). */
    String tasksIn(String clusterName) {
        return of("ecs", "task", ArnFormat.SLASH_RESOURCE_NAME, clusterName + "/*");
    }

    /** Every job's state machine, and its versions ({@code skiff-<job>:<version>}). */
    String jobStateMachines() {
        return of("states", "stateMachine", ArnFormat.COLON_RESOURCE_NAME, SkiffNames.JOB_PREFIX + "*");
    }

    /** The start of every job state machine's ARN, for prefix matching in event patterns. */
    String jobStateMachinePrefix() {
        return of("states", "stateMachine", ArnFormat.COLON_RESOURCE_NAME, SkiffNames.JOB_PREFIX);
    }

    /** Every execution of every job's state machine ({@code execution:skiff-<job>:<run id>}). */
    String jobExecutions() {
        return of("states", "execution", ArnFormat.COLON_RESOURCE_NAME, SkiffNames.JOB_PREFIX + "*:*");
    }

    /** The jobs' log groups ({@code /skiff/jobs/<job>}) and their streams. */
    String jobLogGroups() {
        return of("logs", "log-group", ArnFormat.COLON_RESOURCE_NAME, SkiffNames.JOB_LOG_GROUP_PREFIX + "/*");
    }

    /** Secrets Manager secrets named {@code skiff/<team>/...} (the ARN adds a random suffix to the name). */
    String teamSecrets(String team) {
        return of("secretsmanager", "secret", ArnFormat.COLON_RESOURCE_NAME, SkiffNames.JOB_SECRET_PREFIX + team + "/*");
    }

    /** SSM parameters under {@code /skiff/<team>/}. */
    String teamParameters(String team) {
        return of("ssm", "parameter", ArnFormat.SLASH_RESOURCE_NAME, SkiffNames.JOB_SECRET_PREFIX + team + "/*");
    }

    /** The SNS topics of the account and region whose names start with {@code prefix}. */
    String topicsStartingWith(String prefix) {
        return stack.formatArn(ArnComponents.builder().service("sns").resource(prefix + "*")
                .arnFormat(ArnFormat.NO_RESOURCE_NAME).build());
    }

    /** Every ECR repository of the account. */
    String repositories() {
        return of("ecr", "repository", ArnFormat.SLASH_RESOURCE_NAME, "*");
    }
}
