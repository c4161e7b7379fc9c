package dev.skiff.orchestrator.adapter.ecs;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How the Fargate launcher runs tasks. Start from {@link #of} and change one thing at a time with the
 * {@code withX} methods; bad values fail where they are set.
 *
 * @param cluster          the ECS cluster, with capacity providers FARGATE and FARGATE_SPOT
 * @param subnets          awsvpc subnets, ideally in several availability zones
 * @param securityGroups   awsvpc security groups (none: the VPC's default group)
 * @param assignPublicIp   false by default: tasks reach ECR and CloudWatch through NAT or VPC endpoints
 * @param taskRoleArn      the role every task's code runs as; a job spec can never name a role
 * @param executionRoles   the roles ECS uses to pull images, read secrets and write logs: the owner's, or a shared one
 *                         for jobs without secrets
 * @param logGroupPrefix   each job logs to {@code <prefix>/<job>}
 * @param logRegion        the region of the log groups (the cluster's)
 * @param pollInterval     how often DescribeTasks is asked about the watched tasks
 * @param runTaskRate      RunTask calls per second at most, before any throttling
 * @param runTaskBurst     RunTask calls that may go at once after a quiet period
 * @param maxLaunchWait    how long one launch may wait for the rate limiter and retry throttled calls
 * @param keepRevisions    task definition revisions kept per job; older ones are deregistered
 * @param prices           the Fargate prices of the cluster's region, for each attempt's cost estimate (by default the
 *                         shipped ones of {@code logRegion}; none for a region Skiff ships none of)
 * @param teamTaskRoles    each team's own task role ({@code skiff.fargate.task-role-arns}), which its tasks run as
 *                         instead of {@code taskRoleArn}: the only role that may write the team's step outputs
 */
public record FargateOptions(
        String cluster,
        List<String> subnets,
        List<String> securityGroups,
        boolean assignPublicIp,
        Optional<String> taskRoleArn,
        ExecutionRoles executionRoles,
        String logGroupPrefix,
        String logRegion,
        Duration pollInterval,
        double runTaskRate,
        int runTaskBurst,
        Duration maxLaunchWait,
        int keepRevisions,
        RegionPrices prices,
        Clock clock,
        Map<String, String> teamTaskRoles) {

    public static final String DEFAULT_LOG_GROUP_PREFIX = "/skiff/jobs";
    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(5);
    /** ECS's documented sustained RunTask rate on Fargate. */
    public static final double DEFAULT_RUN_TASK_RATE = 20;
    public static final int DEFAULT_RUN_TASK_BURST = 20;
    public static final Duration DEFAULT_MAX_LAUNCH_WAIT = Duration.ofSeconds(30);
    public static final int DEFAULT_KEEP_REVISIONS = 5;

    public FargateOptions {
        if (cluster == null || cluster.isBlank()) {
            throw new IllegalArgumentException("cluster must be named");
        }
        if (subnets == null || subnets.isEmpty()) {
            throw new IllegalArgumentException("at least one subnet is needed for awsvpc networking");
        }
        subnets = List.copyOf(subnets);
        teamTaskRoles = Map.copyOf(teamTaskRoles);
        securityGroups = List.copyOf(securityGroups);
        positive(pollInterval, "poll interval");
        positive(maxLaunchWait, "max launch wait");
        if (!(runTaskRate > 0)) {
            throw new IllegalArgumentException("run-task rate must be above 0, not " + runTaskRate);
        }
        if (runTaskBurst < 1) {
            throw new IllegalArgumentException("run-task burst must be at least 1, not " + runTaskBurst);
        }
        if (keepRevisions < 1) {
            throw new IllegalArgumentException("keep-revisions must be at least 1, not " + keepRevisions);
        }
    }

    public static FargateOptions of(String cluster, List<String> subnets, String logRegion) {
        return new FargateOptions(cluster, subnets, List.of(), false, Optional.empty(), ExecutionRoles.sharedOnly(Optional.empty()),
                DEFAULT_LOG_GROUP_PREFIX, logRegion, DEFAULT_POLL_INTERVAL, DEFAULT_RUN_TASK_RATE, DEFAULT_RUN_TASK_BURST,
                DEFAULT_MAX_LAUNCH_WAIT, DEFAULT_KEEP_REVISIONS, FargatePriceTable.shipped().findRegion(logRegion), Clock.systemUTC(),
                Map.of());
    }

    public FargateOptions withSecurityGroups(List<String> groups) {
        return new FargateOptions(cluster, subnets, groups, assignPublicIp, taskRoleArn, executionRoles, logGroupPrefix,
                logRegion, pollInterval, runTaskRate, runTaskBurst, maxLaunchWait, keepRevisions, prices, clock, teamTaskRoles);
    }

    public FargateOptions withAssignPublicIp(boolean assign) {
        return new FargateOptions(cluster, subnets, securityGroups, assign, taskRoleArn, executionRoles, logGroupPrefix,
                logRegion, pollInterval, runTaskRate, runTaskBurst, maxLaunchWait, keepRevisions, prices, clock, teamTaskRoles);
    }

    /** The task role, and the shared execution role (kept: the teams' roles stay as they were). */
    public FargateOptions withRoles(Optional<String> taskRole, Optional<String> sharedExecutionRole) {
        return new FargateOptions(cluster, subnets, securityGroups, assignPublicIp, taskRole,
                new ExecutionRoles(sharedExecutionRole, executionRoles.byTeam()), logGroupPrefix,
                logRegion, pollInterval, runTaskRate, runTaskBurst, maxLaunchWait, keepRevisions, prices, clock, teamTaskRoles);
    }

    /** Each team's own execution role, which reads the team's secrets only. */
    public FargateOptions withTeamExecutionRoles(java.util.Map<String, String> byTeam) {
        return new FargateOptions(cluster, subnets, securityGroups, assignPublicIp, taskRoleArn,
                new ExecutionRoles(executionRoles.shared(), byTeam), logGroupPrefix,
                logRegion, pollInterval, runTaskRate, runTaskBurst, maxLaunchWait, keepRevisions, prices, clock, teamTaskRoles);
    }

    public FargateOptions withLogGroupPrefix(String prefix) {
        return new FargateOptions(cluster, subnets, securityGroups, assignPublicIp, taskRoleArn, executionRoles, prefix,
                logRegion, pollInterval, runTaskRate, runTaskBurst, maxLaunchWait, keepRevisions, prices, clock, teamTaskRoles);
    }

    public FargateOptions withPollInterval(Duration interval) {
        return new FargateOptions(cluster, subnets, securityGroups, assignPublicIp, taskRoleArn, executionRoles,
                logGroupPrefix, logRegion, interval, runTaskRate, runTaskBurst, maxLaunchWait, keepRevisions, prices, clock, teamTaskRoles);
    }

    public FargateOptions withRunTaskLimit(double ratePerSecond, int burst) {
        return new FargateOptions(cluster, subnets, securityGroups, assignPublicIp, taskRoleArn, executionRoles,
                logGroupPrefix, logRegion, pollInterval, ratePerSecond, burst, maxLaunchWait, keepRevisions, prices, clock, teamTaskRoles);
    }

    public FargateOptions withMaxLaunchWait(Duration wait) {
        return new FargateOptions(cluster, subnets, securityGroups, assignPublicIp, taskRoleArn, executionRoles,
                logGroupPrefix, logRegion, pollInterval, runTaskRate, runTaskBurst, wait, keepRevisions, prices, clock, teamTaskRoles);
    }

    public FargateOptions withKeepRevisions(int keep) {
        return new FargateOptions(cluster, subnets, securityGroups, assignPublicIp, taskRoleArn, executionRoles,
                logGroupPrefix, logRegion, pollInterval, runTaskRate, runTaskBurst, maxLaunchWait, keep, prices, clock, teamTaskRoles);
    }

    public FargateOptions withPrices(RegionPrices newPrices) {
        return new FargateOptions(cluster, subnets, securityGroups, assignPublicIp, taskRoleArn, executionRoles,
                logGroupPrefix, logRegion, pollInterval, runTaskRate, runTaskBurst, maxLaunchWait, keepRevisions, newPrices, clock, teamTaskRoles);
    }

    public FargateOptions withClock(Clock newClock) {
        return new FargateOptions(cluster, subnets, securityGroups, assignPublicIp, taskRoleArn, executionRoles,
                logGroupPrefix, logRegion, pollInterval, runTaskRate, runTaskBurst, maxLaunchWait, keepRevisions, prices, newClock, teamTaskRoles);
    }

    /** Each team's own task role, which its tasks run as (its pipeline steps write outputs under its own prefix). */
    public FargateOptions withTeamTaskRoles(Map<String, String> byTeam) {
        return new FargateOptions(cluster, subnets, securityGroups, assignPublicIp, taskRoleArn, executionRoles,
                logGroupPrefix, logRegion, pollInterval, runTaskRate, runTaskBurst, maxLaunchWait, keepRevisions, prices,
                clock, byTeam);
    }

    /** The role a job's tasks run as: its owner's own, else the shared one. */
    Optional<String> taskRoleFor(String owner) {
        return Optional.ofNullable(teamTaskRoles.get(owner)).or(() -> taskRoleArn);
    }

    /** The log group of a job's tasks. */
    String logGroup(String job) {
        return logGroupPrefix + "/" + job;
    }

    private static void positive(Duration d, String what) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(what + " must be positive, not " + d);
        }
    }
}
