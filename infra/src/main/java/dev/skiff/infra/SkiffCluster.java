package dev.skiff.infra;

import software.amazon.awscdk.services.ec2.IVpc;
import software.amazon.awscdk.services.ecs.Cluster;
import software.amazon.awscdk.services.ecs.ContainerInsights;
import software.constructs.Construct;

/**
 * The ECS cluster for the orchestrator and every job task, with both Fargate capacity providers: the
 * launcher asks for FARGATE_SPOT first and falls back to FARGATE; the orchestrator itself runs on FARGATE.
 */
public final class SkiffCluster extends Construct {

    public static final String FARGATE = "FARGATE";
    public static final String FARGATE_SPOT = "FARGATE_SPOT";

    private final Cluster cluster;

    public SkiffCluster(Construct scope, String id, IVpc vpc) {
        super(scope, id);
        this.cluster = Cluster.Builder.create(this, "Cluster")
                .vpc(vpc)
                .enableFargateCapacityProviders(true)
                .containerInsightsV2(ContainerInsights.ENABLED)
                .build();
    }

    public Cluster cluster() {
        return cluster;
    }
}
