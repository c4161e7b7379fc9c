package dev.skiff.orchestrator.adapter.ecs;

import dev.skiff.testing.MotoNetwork;
import dev.skiff.testing.MotoServer;
import java.net.URI;
import java.util.List;
import java.util.UUID;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ecs.EcsClient;

/**
 * An ECS cluster on the shared moto server, as DESIGN.md says moto needs it: capacity providers FARGATE
 * and FARGATE_SPOT, and a subnet of a VPC with DNS hostnames enabled. Each test gets its own cluster
 * (moto is never reset: other test classes share the server).
 */
public final class MotoEcs {

    static final Region REGION = Region.US_EAST_1;

    public final String cluster;
    public final String subnet;
    public final String securityGroup;

    private MotoEcs(String cluster, String subnet, String securityGroup) {
        this.cluster = cluster;
        this.subnet = subnet;
        this.securityGroup = securityGroup;
    }

    public static URI endpoint() {
        return MotoServer.shared().endpoint();
    }

    /** A client of ECS at {@code endpoint} (moto itself, or a proxy in front of it). */
    public static EcsClient client(URI endpoint) {
        return EcsClient.builder().endpointOverride(endpoint).region(REGION)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing")))
                .build();
    }

    public static MotoEcs create(EcsClient direct) {
        MotoNetwork network = MotoNetwork.create(endpoint(), REGION.id());
        String cluster = "skiff-" + suffix();
        direct.createCluster(r -> r.clusterName(cluster).capacityProviders("FARGATE", "FARGATE_SPOT"));
        return new MotoEcs(cluster, network.subnetId(), network.securityGroupId());
    }

    public FargateOptions options() {
        return FargateOptions.of(cluster, List.of(subnet), REGION.id()).withSecurityGroups(List.of(securityGroup));
    }

    public static String suffix() {
        return UUID.randomUUID().toString().substring(0, 8);
    }
}
