package dev.skiff.benchmarks;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
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
import software.amazon.awssdk.services.ecs.model.DesiredStatus;
import software.amazon.awssdk.services.ecs.model.Task;

/** An ECS cluster on moto as the launcher needs it (FARGATE and FARGATE_SPOT, a subnet of a VPC with DNS hostnames). */
record MotoCluster(URI moto, String name, String subnet) {

    static final Region REGION = Region.US_EAST_1;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    static EcsClient client(URI endpoint) {
        return EcsClient.builder().endpointOverride(endpoint).region(REGION)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing")))
                .build();
    }

    static MotoCluster create(URI moto, EcsClient direct) throws IOException, InterruptedException {
        String vpc = ec2(moto, "CreateVpc", Map.of("CidrBlock", "10.0.0.0/16"), "vpcId");
        ec2(moto, "ModifyVpcAttribute", Map.of("VpcId", vpc, "EnableDnsHostnames.Value", "true"), null);
        String subnet = ec2(moto, "CreateSubnet", Map.of("VpcId", vpc, "CidrBlock", "10.0.0.0/16"), "subnetId");
        String name = "bench-" + UUID.randomUUID().toString().substring(0, 8);
        direct.createCluster(r -> r.clusterName(name).capacityProviders("FARGATE", "FARGATE_SPOT"));
        return new MotoCluster(moto, name, subnet);
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

    private static String ec2(URI moto, String action, Map<String, String> parameters, String resultElement)
            throws IOException, InterruptedException {
        var form = new LinkedHashMap<String, String>();
        form.put("Action", action);
        form.put("Version", "2016-11-15");
        form.putAll(parameters);
        String body = form.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        var request = HttpRequest.newBuilder(moto)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Authorization", "AWS4-HMAC-SHA256 Credential=testing/20260101/" + REGION.id()
                        + "/ec2/aws4_request, SignedHeaders=host, Signature=0")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
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
    }
}
