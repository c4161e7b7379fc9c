package dev.skiff.orchestrator.adapter.ecs;

import dev.skiff.jobs.StepSpec;
import java.util.ArrayList;
import java.util.List;

import dev.skiff.orchestrator.port.TaskRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awssdk.services.ecs.model.AssignPublicIp;
import software.amazon.awssdk.services.ecs.model.CapacityProviderStrategyItem;
import software.amazon.awssdk.services.ecs.model.KeyValuePair;
import software.amazon.awssdk.services.ecs.model.PropagateTags;
import software.amazon.awssdk.services.ecs.model.RunTaskRequest;
import software.amazon.awssdk.services.ecs.model.Tag;

/**
 * The RunTask call for one attempt on one capacity provider. Pure. Its identifiers make a repeated call
 * harmless: {@code clientToken} is the same for a retry of the same call, so ECS starts one task, and
 * differs for an on-demand fallback or a relaunch after a Spot interruption, which must start a new one;
 * {@code startedBy} and the tags find the attempt's tasks again when a call's outcome is unknown.
 */
final class RunTaskRequests {

    static final String RUN_ID_TAG = "skiff:run-id";
    static final String STEP_TAG = "skiff:step";
    static final String ATTEMPT_TAG = "skiff:attempt";
    static final String ITEM_TAG = "skiff:item";
    /** ECS limits startedBy to 36 characters: letters, digits, '-' and '_'. */
    static final int STARTED_BY_LENGTH = 36;
    /** Every task Skiff starts has a {@code startedBy} of this prefix, which is how its tasks are told from others. */
    static final String STARTED_BY_PREFIX = "skiff-";
    /** ECS allows clientToken up to 64 ASCII characters. */
    static final int CLIENT_TOKEN_LENGTH = 64;

    private final FargateOptions options;

    RunTaskRequests(FargateOptions options) {
        this.options = options;
    }

    /**
     * @param generation how many tasks of this attempt on this provider Spot already interrupted
     */
    RunTaskRequest build(TaskRequest request, String definitionArn, CapacityProvider provider, int generation) {
        var environment = new TreeMap<>(request.environment()).entrySet().stream()
                .map(e -> KeyValuePair.builder().name(e.getKey()).value(e.getValue()).build()).toList();
        return RunTaskRequest.builder()
                .cluster(options.cluster())
                .taskDefinition(definitionArn)
                .count(1)
                .capacityProviderStrategy(CapacityProviderStrategyItem.builder()
                        .capacityProvider(provider.ecsName()).weight(1).build())
                .networkConfiguration(n -> n.awsvpcConfiguration(vpc -> vpc
                        .subnets(options.subnets())
                        .securityGroups(options.securityGroups())
                        .assignPublicIp(options.assignPublicIp() ? AssignPublicIp.ENABLED : AssignPublicIp.DISABLED)))
                .startedBy(startedBy(request))
                .clientToken(clientToken(request, provider, generation))
                .tags(tags(request))
                .propagateTags(PropagateTags.TASK_DEFINITION)
                .overrides(o -> o.containerOverrides(c -> c.name(TaskOutcomes.CONTAINER).environment(environment)))
                .build();
    }

    /** The task's tags: its run, step, attempt and, for a forEach step's item, the item's index. */
    private static List<Tag> tags(TaskRequest request) {
        List<Tag> tags = new ArrayList<>(List.of(tag(RUN_ID_TAG, request.runId()), tag(STEP_TAG, request.step()),
                tag(ATTEMPT_TAG, Integer.toString(request.attempt()))));
        if (request.item() != TaskRequest.NO_ITEM) {
            tags.add(tag(ITEM_TAG, Integer.toString(request.item())));
        }
        return tags;
    }

    /**
     * The same for every task of one unit's attempt, whatever the capacity: what ListTasks finds them by. A hash of the
     * unit id ({@code <run id>/<step>[<item>]/<attempt>}); for the step {@code main} that runs once it is the hash it
     * was before pipelines, so tasks started by an earlier version are still found.
     */
    static String startedBy(TaskRequest request) {
        return isSingleStep(request) ? startedBy(request.runId(), request.attempt())
                : STARTED_BY_PREFIX + sha256(request.unitId()).substring(0, STARTED_BY_LENGTH - STARTED_BY_PREFIX.length());
    }

    static String clientToken(TaskRequest request, CapacityProvider provider, int generation) {
        return isSingleStep(request) ? clientToken(request.runId(), request.attempt(), provider, generation)
                : sha256(request.unitId() + "/" + provider.ecsName() + "/" + generation).substring(0, CLIENT_TOKEN_LENGTH);
    }

    private static boolean isSingleStep(TaskRequest request) {
        return request.item() == TaskRequest.NO_ITEM && StepSpec.MAIN.equals(request.step());
    }

    /** The startedBy of the step {@code main} that runs once. */
    static String startedBy(String runId, int attempt) {
        return STARTED_BY_PREFIX + sha256(runId + "/" + attempt).substring(0, STARTED_BY_LENGTH - STARTED_BY_PREFIX.length());
    }

    static String clientToken(String runId, int attempt, CapacityProvider provider, int generation) {
        return sha256(runId + "/" + attempt + "/" + provider.ecsName() + "/" + generation).substring(0, CLIENT_TOKEN_LENGTH);
    }

    static Map<String, String> tagsOf(java.util.List<Tag> tags) {
        var map = new TreeMap<String, String>();
        tags.forEach(t -> map.put(t.key(), t.value()));
        return map;
    }

    private static Tag tag(String key, String value) {
        return Tag.builder().key(key).value(value).build();
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
