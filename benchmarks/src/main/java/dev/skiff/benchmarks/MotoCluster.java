package dev.skiff.benchmarks;

import dev.skiff.testing.MotoNetwork;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.DesiredStatus;
import software.amazon.awssdk.services.ecs.model.Task;

/** An ECS cluster on moto as the launcher needs it (FARGATE and FARGATE_SPOT, a subnet of a VPC with DNS hostnames, a security group). */
record MotoCluster(URI moto, String name, String subnet, String securityGroup) {

    static final Region REGION = Region.US_EAST_1;

    static EcsClient client(URI endpoint) {
        return EcsClient.builder().endpointOverride(endpoint).region(REGION)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing")))
                .build();
    }

    static MotoCluster create(URI moto, EcsClient direct) {
        MotoNetwork network = MotoNetwork.create(moto, REGION.id());
        String name = "bench-" + UUID.randomUUID().toString().substring(0, 8);
        direct.createCluster(r -> r.clusterName(name).capacityProviders("FARGATE", "FARGATE_SPOT"));
        return new MotoCluster(moto, name, network.subnetId(), network.securityGroupId());
    }

    /** How many tasks the cluster holds for each startedBy, as ListTasks and DescribeTasks tell it. */
    Map<String, Integer> tasksByStartedBy(EcsClient direct) {
        List<String> arns = new ArrayList<>();
        for (DesiredStatus status : List.of(DesiredStatus.RUNNING, DesiredStatus.STOPPED)) {
            direct.listTasksPaginator(r -> r.cluster(name).desiredStatus(status)).taskArns().forEach(arns::add);
        }
        Map<String, Integer> counts = new HashMap<>();
        for (int from = 0; from < arns.size(); from += 100) {
            List<String> batch = arns.subList(from, Math.min(arns.size(), from + 100));
            for (Task task : direct.describeTasks(r -> r.cluster(name).tasks(batch)).tasks()) {
                counts.merge(task.startedBy() == null ? "" : task.startedBy(), 1, Integer::sum);
            }
        }
        return counts;
    }
}
