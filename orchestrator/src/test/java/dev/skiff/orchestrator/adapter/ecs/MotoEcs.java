package dev.skiff.orchestrator.adapter.ecs;

import dev.skiff.testing.MotoServer;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ecs.EcsClient;

/**
 * An ECS cluster on the shared moto server, as DESIGN.md says moto needs it: capacity providers FARGATE
 * and FARGATE_SPOT, and a subnet of a VPC with DNS hostnames enabled. Each test gets its own cluster
 * (moto is never reset: other test classes share the server).
 */
final class MotoEcs {

    static final Region REGION = Region.US_EAST_1;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    final String cluster;
    final String subnet;
    final String securityGroup;

    private MotoEcs(String cluster, String subnet, String securityGroup) {
        this.cluster = cluster;
        this.subnet = subnet;
        this.securityGroup = securityGroup;
    }

    static URI endpoint() {
        return MotoServer.shared().endpoint();
    }

    /** A client of ECS at {@code endpoint} (moto itself, or a proxy in front of it). */
    static EcsClient client(URI endpoint) {
        return EcsClient.builder().endpointOverride(endpoint).region(REGION)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing")))
                .build();
    }

    static MotoEcs create(EcsClient direct) {
        String vpc = ec2("CreateVpc", Map.of("CidrBlock", "10.0.0.0/16"), "vpcId");
        ec2("ModifyVpcAttribute", Map.of("VpcId", vpc, "EnableDnsHostnames.Value", "true"), null);
        String subnet = ec2("CreateSubnet", Map.of("VpcId", vpc, "CidrBlock", "10.0.1.0/24"), "subnetId");
        String group = ec2("CreateSecurityGroup", Map.of("VpcId", vpc, "GroupName", "skiff-" + suffix(),
                "GroupDescription", "skiff tasks"), "groupId");
        String cluster = "skiff-" + suffix();
        direct.createCluster(r -> r.clusterName(cluster).capacityProviders("FARGATE", "FARGATE_SPOT"));
        return new MotoEcs(cluster, subnet, group);
    }

    FargateOptions options() {
        return FargateOptions.of(cluster, List.of(subnet), REGION.id()).withSecurityGroups(List.of(securityGroup));
    }

    static String suffix() {
        return UUID.randomUUID().toString().substring(0, 8);
    }

    /** EC2's query protocol, signed only as far as moto looks: the credential scope names the service. */
    private static String ec2(String action, Map<String, String> parameters, String resultElement) {
        var form = new LinkedHashMap<String, String>();
        form.put("Action", action);
        form.put("Version", "2016-11-15");
        form.putAll(parameters);
        String body = form.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        var request = HttpRequest.newBuilder(endpoint())
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Authorization", "AWS4-HMAC-SHA256 Credential=testing/20260101/" + REGION.id()
                        + "/ec2/aws4_request, SignedHeaders=host, Signature=0")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        try {
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("moto EC2 " + action + " answered " + response.statusCode() + ": " + response.body());
            }
            if (resultElement == null) {
                return "";
            }
            Matcher m = Pattern.compile("<" + resultElement + ">([^<]+)</" + resultElement + ">").matcher(response.body());
            if (!m.find()) {
                throw new IllegalStateException("moto EC2 " + action + " gave no " + resultElement + ": " + response.body());
            }
            return m.group(1);
        } catch (IOException e) {
            throw new IllegalStateException("moto EC2 " + action + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
