package dev.skiff.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An existing VPC. {@code Vpc.fromLookup} would need AWS credentials at synth time (and a cdk.context.json), so
 * the VPC is described by context values: id, CIDR, zones and one private subnet per zone.
 */
class ImportedVpcTest {

    private static final List<String> SUBNETS = List.of("subnet-0aaaaaaaaaaaaaaa1", "subnet-0bbbbbbbbbbbbbbb2");

    private static Synthesized skiff;

    @BeforeAll
    static void synthesize() {
        skiff = Synthesized.synthesize("imported-vpc", Map.of(
                SkiffSettings.VPC_ID, "vpc-0123456789abcdef0",
                SkiffSettings.VPC_CIDR, "172.31.0.0/16",
                SkiffSettings.AVAILABILITY_ZONES, List.of("eu-central-1a", "eu-central-1b"),
                SkiffSettings.PRIVATE_SUBNET_IDS, SUBNETS,
                SkiffSettings.CERTIFICATE_ARN, "arn:aws:acm:eu-central-1:123456789012:certificate/12345678-1234-1234-1234-123456789012",
                SkiffSettings.JOB_TASK_ROLE_ARN, "arn:aws:iam::123456789012:role/data-team-jobs"));
    }

    @Test
    void shouldMakeNoNetworkOfItsOwn() {
        assertThat(skiff.ofType("AWS::EC2::VPC")).isEmpty();
        assertThat(skiff.ofType("AWS::EC2::Subnet")).isEmpty();
        assertThat(skiff.ofType("AWS::EC2::NatGateway")).isEmpty();
    }

    @Test
    void shouldRunTheOrchestratorAndTheJobsInTheGivenSubnets() {
        JsonNode service = skiff.properties(skiff.stack.orchestrator().service());
        assertThat(Cfn.texts(service.at("/NetworkConfiguration/AwsvpcConfiguration/Subnets"))).containsExactlyElementsOf(SUBNETS);
        JsonNode container = skiff.properties(skiff.stack.orchestrator().taskDefinition()).at("/ContainerDefinitions/0");
        String subnets = null;
        for (JsonNode env : container.get("Environment")) {
            if (env.get("Name").asText().equals("SKIFF_FARGATE_SUBNETS")) {
                subnets = Cfn.text(env.get("Value"));
            }
        }
        assertThat(subnets).isEqualTo(String.join(",", SUBNETS));
        assertThat(skiff.properties(skiff.stack.jobs().securityGroup()).get("VpcId").asText()).isEqualTo("vpc-0123456789abcdef0");
    }

    @Test
    void shouldServeHttpsWithTheCertificateToTheVpcsRange() {
        JsonNode listener = skiff.resources().get(skiff.ofType("AWS::ElasticLoadBalancingV2::Listener").get(0)).get("Properties");
        assertThat(listener.get("Port").asInt()).isEqualTo(443);
        assertThat(listener.get("Protocol").asText()).isEqualTo("HTTPS");
        assertThat(listener.at("/Certificates/0/CertificateArn").asText()).startsWith("arn:aws:acm:");
        JsonNode group = skiff.properties(skiff.stack.orchestrator().loadBalancer().getConnections().getSecurityGroups().get(0));
        assertThat(group.at("/SecurityGroupIngress/0/CidrIp").asText()).isEqualTo("172.31.0.0/16");
        assertThat(group.at("/SecurityGroupIngress/0/FromPort").asInt()).isEqualTo(443);
    }

    @Test
    void shouldRunJobsAsTheGivenRoleAndPassOnlyIt() {
        assertThat(skiff.ofType("AWS::IAM::Role")).hasSize(5);
        JsonNode pass = skiff.roleStatements(skiff.stack.orchestrator().taskRole()).get("PassJobRoles");
        assertThat(Cfn.texts(pass.get("Resource"))).contains("arn:aws:iam::123456789012:role/data-team-jobs");
    }
}
