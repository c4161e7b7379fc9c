package dev.skiff.orchestrator.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Everything under {@code skiff.fargate.}: where and how the {@code fargate} launcher runs tasks. Read only
 * when {@code skiff.launcher=fargate}, so nothing here is required by the embedded default.
 */
@ConfigMapping(prefix = "skiff.fargate")
public interface FargateConfig {

    /** The ECS cluster; it needs the capacity providers FARGATE and FARGATE_SPOT. */
    @WithDefault("skiff")
    String cluster();

    /** awsvpc subnets, ideally in several availability zones; required with the fargate launcher. */
    Optional<List<String>> subnets();

    /** awsvpc security groups; none means the VPC's default group. */
    Optional<List<String>> securityGroups();

    /** Off by default: tasks reach ECR and CloudWatch through NAT or VPC endpoints. */
    @WithDefault("false")
    boolean assignPublicIp();

    /** The role every task runs as. A job spec can never name a role. */
    Optional<String> taskRoleArn();

    /**
     * The role ECS uses to pull images and write logs for jobs without secrets whose owner has no role of its own
     * in {@link #executionRoleArns}; it should read no secret.
     */
    Optional<String> executionRoleArn();

    /**
     * Each team's execution role, as {@code <team>=<role ARN>} entries (comma-separated): a job starts with its
     * owner's role, which reads only {@code skiff/<team>/} secrets. A job with secrets whose owner has none is refused.
     */
    Optional<List<String>> executionRoleArns();

    /**
     * Each team's task role, as {@code <team>=<role ARN>} entries (comma-separated): a job's tasks run as its owner's
     * role instead of {@link #taskRoleArn}. The stack gives each team one that may write step outputs only under
     * {@code .skiff/outputs/<team>/}.
     */
    Optional<List<String>> taskRoleArns();

    /** Each job logs to {@code <prefix>/<job>}. */
    @WithDefault("/skiff/jobs")
    String logGroupPrefix();

    /** How often DescribeTasks is asked about running tasks. */
    @WithDefault("5s")
    Duration pollInterval();

    /** RunTask calls per second at most (halved on throttling, then recovering). */
    @WithDefault("20")
    double runTaskRate();

    /** RunTask calls that may go at once after a quiet period. */
    @WithDefault("20")
    int runTaskBurst();

    /** How long one launch may wait for the rate limiter before it fails as a retryable start failure. */
    @WithDefault("30s")
    Duration maxLaunchWait();

    /** Task definition revisions kept per job; older ones are deregistered. */
    @WithDefault("5")
    int keepRevisions();

    /**
     * A JSON file of Fargate prices in the shape of the shipped {@code skiff/fargate-prices.json}, laid over the shipped
     * prices field by field; single {@code skiff.fargate.prices.<region>.<arch>.<field>} keys go over both (see
     * {@link FargatePriceConfig}).
     */
    Optional<java.nio.file.Path> pricesFile();
}
