package dev.skiff.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;

class NetworkAndClusterTest extends DefaultStackTest {



    @Test
    void shouldMakeAVpcWithOnePrivateSubnetInEachOfTwoZones() {
        template.resourceCountIs("AWS::EC2::VPC", 1);
        template.hasResourceProperties("AWS::EC2::VPC", Map.of("CidrBlock", "10.0.0.0/16"));
        Set<String> zones = new HashSet<>();
        int privateSubnets = 0;
        for (String id : skiff.ofType("AWS::EC2::Subnet")) {
            JsonNode subnet = skiff.resources().get(id).get("Properties");
            if (!subnet.path("MapPublicIpOnLaunch").asBoolean()) {
                privateSubnets++;
                zones.add(subnet.get("AvailabilityZone").toString());
            }
        }
        assertThat(privateSubnets).isEqualTo(2);
        assertThat(zones).as("availability zones of the private subnets").hasSize(2);
        template.hasResourceProperties("AWS::EC2::FlowLog", Map.of("TrafficType", "REJECT"));
        template.resourceCountIs("AWS::EC2::NatGateway", 1);
    }

    @Test
    void shouldGiveTheClusterBothFargateCapacityProviders() {
        template.resourceCountIs("AWS::ECS::Cluster", 1);
        template.hasResourceProperties("AWS::ECS::ClusterCapacityProviderAssociations", Match.objectLike(Map.of(
                "CapacityProviders", Match.arrayEquals(List.of("FARGATE", "FARGATE_SPOT")),
                "Cluster", Map.of("Ref", skiff.logicalId(skiff.stack.cluster().cluster())))));
        template.hasResourceProperties("AWS::ECS::Cluster", Map.of(
                "ClusterSettings", List.of(Map.of("Name", "containerInsights", "Value", "enabled"))));
    }

    @Test
    void shouldLetJobTasksOnlyReachHttpsAndNothingReachThem() {
        JsonNode group = skiff.properties(skiff.stack.jobs().securityGroup());

        assertThat(group.path("SecurityGroupIngress").isMissingNode()).isTrue();
        assertThat(group.get("SecurityGroupEgress")).hasSize(1);
        JsonNode egress = group.get("SecurityGroupEgress").get(0);
        assertThat(egress.get("CidrIp").asText()).isEqualTo("0.0.0.0/0");
        assertThat(egress.get("FromPort").asInt()).isEqualTo(443);
        assertThat(egress.get("ToPort").asInt()).isEqualTo(443);
    }
}
