package dev.skiff.orchestrator.adapter.ecs;

import dev.skiff.jobs.JobSpec;
import dev.skiff.jobs.StepSpec;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awssdk.services.ecs.model.Compatibility;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.CPUArchitecture;
import software.amazon.awssdk.services.ecs.model.KeyValuePair;
import software.amazon.awssdk.services.ecs.model.LogDriver;
import software.amazon.awssdk.services.ecs.model.NetworkMode;
import software.amazon.awssdk.services.ecs.model.OSFamily;
import software.amazon.awssdk.services.ecs.model.RegisterTaskDefinitionRequest;
import software.amazon.awssdk.services.ecs.model.Secret;
import software.amazon.awssdk.services.ecs.model.Tag;

/**
 * A job spec as an ECS task definition: one essential container named {@code job}, awsvpc on Fargate,
 * logs to the job's own log group, roles only from configuration. Pure: the same spec and options
 * always render the same request, so its hash tells whether the registered revision is current.
 */
final class TaskDefinitionRenderer {

    static final String HASH_TAG = "skiff:definition-hash";
    static final String JOB_TAG = "skiff:job";
    static final String OWNER_TAG = "skiff:owner";
    static final String STEP_TAG = "skiff:step";
    static final String STREAM_PREFIX = "skiff";
    /** Fargate gives 20 GiB without asking; a larger size must be named. */
    private static final int INCLUDED_STORAGE_GIB = 20;

    private final FargateOptions options;

    TaskDefinitionRenderer(FargateOptions options) {
        this.options = options;
    }

    static String family(String job) {
        return "skiff-" + job;
    }

    /**
     * The family of one step of a pipeline: {@code skiff-<job>_<step>}. Job and step names never hold '_', so no
     * step's family is another job's.
     */
    static String family(String job, String step) {
        return family(job) + STEP_SEPARATOR + step;
    }

    static final String STEP_SEPARATOR = "_";

    /** A single-step job's request (its own fields), tagged with the hash of everything else in it. */
    RegisterTaskDefinitionRequest render(JobSpec job) {
        return render(job, (StepSpec) null);
    }

    /**
     * The definition of one step's container: a single-step job's as it always was ({@code skiff-<job>}), a pipeline
     * step's in a family of its own, since steps differ in image, command, resources and secrets.
     */
    RegisterTaskDefinitionRequest render(JobSpec job, String step) {
        if (!job.isPipeline()) {
            return render(job);
        }
        return render(job, job.step(step).orElseThrow(() -> new IllegalArgumentException(
                "job " + job.name() + " has no step " + step + " (its spec changed under the run?)")));
    }

    /** @param step the pipeline step to render, or null for a single-step job (its own fields) */
    private RegisterTaskDefinitionRequest render(JobSpec job, StepSpec step) {
        StepSpec container = step != null ? step : new StepSpec(StepSpec.MAIN, List.of(), job.image(), job.command(),
                job.args(), job.environment(), job.secrets(), job.resources(), job.capacity(), job.timeout(),
                job.retries(), Map.of(), java.util.Optional.empty());
        RegisterTaskDefinitionRequest untagged = renderWithoutHash(job, container,
                step == null ? family(job.name()) : family(job.name(), step.name()));
        List<Tag> tags = new ArrayList<>(untagged.tags());
        if (step != null) {
            tags.add(tag(STEP_TAG, step.name()));
        }
        tags.add(tag(HASH_TAG, hash(untagged, container)));
        return untagged.toBuilder().tags(tags).build();
    }

    static String hashOf(RegisterTaskDefinitionRequest rendered) {
        return rendered.tags().stream().filter(t -> HASH_TAG.equals(t.key())).map(Tag::value).findFirst().orElseThrow();
    }

    private RegisterTaskDefinitionRequest renderWithoutHash(JobSpec job, StepSpec step, String family) {
        var resources = step.resources();
        var container = ContainerDefinition.builder()
                .name(TaskOutcomes.CONTAINER)
                .image(step.image())
                .essential(true)
                .command(step.commandLine())
                // moto (and EC2) want a container memory; on Fargate it equals the task's.
                .memory(resources.memory())
                .environment(sorted(step.environment()).entrySet().stream()
                        .map(e -> KeyValuePair.builder().name(e.getKey()).value(e.getValue()).build()).toList())
                .secrets(sorted(step.secrets()).entrySet().stream()
                        .map(e -> Secret.builder().name(e.getKey()).valueFrom(e.getValue()).build()).toList())
                .logConfiguration(log -> log.logDriver(LogDriver.AWSLOGS).options(sorted(Map.of(
                        "awslogs-group", options.logGroup(job.name()),
                        "awslogs-region", options.logRegion(),
                        "awslogs-stream-prefix", STREAM_PREFIX,
                        "awslogs-create-group", "true"))))
                .build();
        var request = RegisterTaskDefinitionRequest.builder()
                .family(family)
                .requiresCompatibilities(Compatibility.FARGATE)
                .networkMode(NetworkMode.AWSVPC)
                .cpu(Integer.toString(resources.cpu()))
                .memory(Integer.toString(resources.memory()))
                .runtimePlatform(p -> p.operatingSystemFamily(OSFamily.LINUX)
                        .cpuArchitecture(CPUArchitecture.fromValue(resources.architecture().name())))
                .containerDefinitions(container)
                .tags(tags(job));
        if (resources.ephemeralStorageGiB() > INCLUDED_STORAGE_GIB) {
            request.ephemeralStorage(s -> s.sizeInGiB(resources.ephemeralStorageGiB()));
        }
        options.taskRoleFor(job.owner()).ifPresent(request::taskRoleArn);
        options.executionRoles().forJob(job).ifPresent(request::executionRoleArn);
        return request.build();
    }

    /** Cost allocation: owner and job first, then the spec's own tags; propagated to every task. */
    private static List<Tag> tags(JobSpec job) {
        var tags = new ArrayList<Tag>();
        tags.add(tag(JOB_TAG, job.name()));
        tags.add(tag(OWNER_TAG, job.owner()));
        sorted(job.tags()).forEach((k, v) -> tags.add(tag(k, v)));
        return tags;
    }

    private static Tag tag(String key, String value) {
        return Tag.builder().key(key).value(value).build();
    }

    /** Sorted, so that the rendering (and its hash) never depends on a map's iteration order. */
    private static Map<String, String> sorted(Map<String, String> map) {
        return new TreeMap<>(map);
    }

    /**
     * The SDK's toString names every field in a fixed order (a new SDK may change it, costing one extra
     * revision), but redacts fields it deems sensitive, such as environment values: those are added here.
     */
    private static String hash(RegisterTaskDefinitionRequest request, StepSpec job) {
        var text = new StringBuilder(request.toString());
        sorted(job.environment()).forEach((k, v) -> text.append('\n').append(k.length()).append(':').append(k)
                .append('=').append(v.length()).append(':').append(v));
        sorted(job.secrets()).forEach((k, v) -> text.append("\nsecret ").append(k.length()).append(':').append(k)
                .append('=').append(v));
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
