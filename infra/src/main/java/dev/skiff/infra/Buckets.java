package dev.skiff.infra;

import java.util.List;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.s3.BlockPublicAccess;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.s3.BucketEncryption;
import software.amazon.awscdk.services.s3.LifecycleRule;
import software.amazon.awscdk.services.s3.ObjectOwnership;
import software.constructs.Construct;

/**
 * The job registry's bucket (specs under {@value #JOBS_PREFIX}) and the bucket that keeps access logs: the
 * jobs bucket's server access logs and the load balancer's access logs.
 */
public final class Buckets extends Construct {

    /** The key prefix of the job specs: {@code skiff.jobs.location=s3://<bucket>/jobs/}. */
    public static final String JOBS_PREFIX = "jobs/";
    /**
     * The orchestrator's task records (Spot-interrupted and failed tasks of each run), beside the specs. They expire
     * with the executions they belong to: Step Functions keeps a finished standard execution for 90 days.
     */
    public static final String TASK_RECORDS_PREFIX = JOBS_PREFIX + ".skiff/tasks/";

    /**
     * Where pipeline steps' tasks write their outputs: {@code <team>/<run id>/<step>[/<item>]/<attempt>.json}, each
     * team's task role under its own team only. The orchestrator reads them when the task stops.
     */
    public static final String STEP_OUTPUTS_PREFIX = JOBS_PREFIX + ".skiff/outputs/";
    /** The outputs the orchestrator keeps for later steps of a run to read: {@code <run id>/<step>.json}. */
    public static final String KEPT_STEP_OUTPUTS_PREFIX = JOBS_PREFIX + ".skiff/steps/";

    private final Bucket jobs;
    private final Bucket accessLogs;

    public Buckets(Construct scope, String id) {
        super(scope, id);
        // SSE-S3: load balancer access logs can only be written to a bucket with S3-managed keys.
        this.accessLogs = Bucket.Builder.create(this, "AccessLogs")
                .blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
                .encryption(BucketEncryption.S3_MANAGED)
                .enforceSsl(true)
                .objectOwnership(ObjectOwnership.BUCKET_OWNER_ENFORCED)
                .lifecycleRules(List.of(LifecycleRule.builder().id("expire").expiration(Duration.days(365)).build()))
                .removalPolicy(RemovalPolicy.RETAIN)
                .build();
        // Versioned: a spec overwritten or deleted by PUT or DELETE /jobs can be brought back.
        this.jobs = Bucket.Builder.create(this, "Jobs")
                .blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
                .encryption(BucketEncryption.S3_MANAGED)
                .enforceSsl(true)
                .versioned(true)
                .objectOwnership(ObjectOwnership.BUCKET_OWNER_ENFORCED)
                .serverAccessLogsBucket(accessLogs)
                .serverAccessLogsPrefix("s3/jobs/")
                .lifecycleRules(List.of(
                        LifecycleRule.builder().id("old-versions").noncurrentVersionExpiration(Duration.days(90)).build(),
                        LifecycleRule.builder().id("task-records").prefix(TASK_RECORDS_PREFIX)
                                .expiration(Duration.days(90)).noncurrentVersionExpiration(Duration.days(1)).build(),
                        // Outputs live as long as the executions whose steps read them.
                        LifecycleRule.builder().id("step-outputs").prefix(STEP_OUTPUTS_PREFIX)
                                .expiration(Duration.days(90)).noncurrentVersionExpiration(Duration.days(1)).build(),
                        LifecycleRule.builder().id("kept-step-outputs").prefix(KEPT_STEP_OUTPUTS_PREFIX)
                                .expiration(Duration.days(90)).noncurrentVersionExpiration(Duration.days(1)).build()))
                .removalPolicy(RemovalPolicy.RETAIN)
                .build();
    }

    public Bucket jobs() {
        return jobs;
    }

    public Bucket accessLogs() {
        return accessLogs;
    }

    /** The orchestrator's {@code skiff.jobs.location}. */
    public String jobsLocation() {
        return "s3://" + jobs.getBucketName() + "/" + JOBS_PREFIX;
    }
}
