package dev.skiff.testing;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A network for Fargate tasks on moto, as DESIGN.md says moto needs it: a subnet of a VPC with DNS
 * hostnames enabled, and a security group. Made through EC2's query protocol directly, so this module
 * needs no AWS SDK: moto looks only at the credential scope to pick the service.
 */
public record MotoNetwork(String vpcId, String subnetId, String securityGroupId) {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    /** A fresh VPC, subnet and security group in {@code region} of the moto server at {@code moto}. */
    public static MotoNetwork create(URI moto, String region) {
        String vpc = ec2(moto, region, "CreateVpc", Map.of("CidrBlock", "10.0.0.0/16"), "vpcId");
        ec2(moto, region, "ModifyVpcAttribute", Map.of("VpcId", vpc, "EnableDnsHostnames.Value", "true"), null);
        String subnet = ec2(moto, region, "CreateSubnet", Map.of("VpcId", vpc, "CidrBlock", "10.0.1.0/24"), "subnetId");
        String group = ec2(moto, region, "CreateSecurityGroup", Map.of("VpcId", vpc,
                "GroupName", "skiff-" + UUID.randomUUID().toString().substring(0, 8),
                "GroupDescription", "skiff tasks"), "groupId");
        return new MotoNetwork(vpc, subnet, group);
    }

    /** @return the text of {@code resultElement} in the answer, or "" when none is asked for */
    private static String ec2(URI moto, String region, String action, Map<String, String> parameters,
                              String resultElement) {
        var form = new LinkedHashMap<String, String>();
        form.put("Action", action);
        form.put("Version", "2016-11-15");
        form.putAll(parameters);
        String body = form.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        var request = HttpRequest.newBuilder(moto)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Authorization", "AWS4-HMAC-SHA256 Credential=testing/20260101/" + region
                        + "/ec2/aws4_request, SignedHeaders=host, Signature=0")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        try {
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("moto EC2 " + action + " answered " + response.statusCode() + ": "
                        + response.body());
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
            throw new IllegalStateException("interrupted during moto EC2 " + action, e);
        }
    }
}
