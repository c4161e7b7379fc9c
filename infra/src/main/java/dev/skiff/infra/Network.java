package dev.skiff.infra;

import java.util.List;
import java.util.Map;
import software.amazon.awscdk.services.ec2.FlowLogDestination;
import software.amazon.awscdk.services.ec2.FlowLogOptions;
import software.amazon.awscdk.services.ec2.FlowLogTrafficType;
import software.amazon.awscdk.services.ec2.IVpc;
import software.amazon.awscdk.services.ec2.IpAddresses;
import software.amazon.awscdk.services.ec2.SubnetConfiguration;
import software.amazon.awscdk.services.ec2.SubnetSelection;
import software.amazon.awscdk.services.ec2.SubnetType;
import software.amazon.awscdk.services.ec2.Vpc;
import software.amazon.awscdk.services.ec2.VpcAttributes;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.constructs.Construct;

/**
 * The VPC that the orchestrator, its load balancer and every job task run in: a new one across two
 * availability zones (private subnets with NAT egress, public subnets for the NAT gateways only), or an
 * existing one described by context values.
 */
public final class Network extends Construct {

    private final IVpc vpc;
    private final String cidr;

    public Network(Construct scope, String id, SkiffSettings settings, RetentionDays retention) {
        super(scope, id);
        if (settings.importedVpc().isPresent()) {
            // fromLookup would need AWS credentials at synth time; these attributes keep synth offline.
            SkiffSettings.ImportedVpc imported = settings.importedVpc().get();
            this.vpc = Vpc.fromVpcAttributes(this, "Vpc", VpcAttributes.builder()
                    .vpcId(imported.vpcId())
                    .vpcCidrBlock(settings.vpcCidr())
                    .availabilityZones(imported.availabilityZones())
                    .privateSubnetIds(imported.privateSubnetIds())
                    .build());
        } else {
            LogGroup flowLogs = LogGroup.Builder.create(this, "FlowLogs").retention(retention).build();
            Vpc created = Vpc.Builder.create(this, "Vpc")
                    .ipAddresses(IpAddresses.cidr(settings.vpcCidr()))
                    .maxAzs(2)
                    .natGateways(settings.natGateways())
                    .subnetConfiguration(List.of(
                            SubnetConfiguration.builder().name("public").subnetType(SubnetType.PUBLIC).cidrMask(24).build(),
                            SubnetConfiguration.builder().name("private").subnetType(SubnetType.PRIVATE_WITH_EGRESS).cidrMask(20).build()))
                    // Rejected traffic is what an investigation needs; accepted traffic would multiply the log bill.
                    .flowLogs(Map.of("Rejected", FlowLogOptions.builder()
                            .destination(FlowLogDestination.toCloudWatchLogs(flowLogs))
                            .trafficType(FlowLogTrafficType.REJECT)
                            .build()))
                    // Nothing uses the default security group; restricting it would add a custom-resource Lambda.
                    .restrictDefaultSecurityGroup(false)
                    .build();
            this.vpc = created;
        }
        this.cidr = settings.vpcCidr();
    }

    public IVpc vpc() {
        return vpc;
    }

    /** The VPC's IPv4 range: the callers that may reach the orchestrator's internal load balancer. */
    public String cidr() {
        return cidr;
    }

    /** Where the orchestrator and the jobs run: one private subnet in each availability zone. */
    public SubnetSelection privateSubnets() {
        return SubnetSelection.builder().subnetType(SubnetType.PRIVATE_WITH_EGRESS).build();
    }

    /** The private subnets' ids, comma-separated, as the orchestrator's {@code skiff.fargate.subnets} takes them. */
    public String privateSubnetIdList() {
        return String.join(",", vpc.selectSubnets(privateSubnets()).getSubnetIds());
    }
}
