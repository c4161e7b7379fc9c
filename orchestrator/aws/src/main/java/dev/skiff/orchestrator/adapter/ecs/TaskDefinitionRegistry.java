package dev.skiff.orchestrator.adapter.ecs;

import dev.skiff.jobs.JobSpec;
import dev.skiff.orchestrator.adapter.AwsFailures;
import dev.skiff.orchestrator.port.LaunchFailedException;
import dev.skiff.workflows.StepOutcome;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.ClientException;
import software.amazon.awssdk.services.ecs.model.DescribeTaskDefinitionResponse;
import software.amazon.awssdk.services.ecs.model.RegisterTaskDefinitionRequest;
import software.amazon.awssdk.services.ecs.model.SortOrder;
import software.amazon.awssdk.services.ecs.model.TaskDefinitionField;
import software.amazon.awssdk.services.ecs.model.TaskDefinitionStatus;

/**
 * The current task definition of each job. A revision is registered only when the rendered definition
 * differs from the newest one (RegisterTaskDefinition allows about one call a second): the rendering's
 * hash is kept as a tag on the revision, and in memory after the first look.
 */
final class TaskDefinitionRegistry {

    private static final Logger LOG = Logger.getLogger(TaskDefinitionRegistry.class);

    private record Current(String hash, String arn) {
    }

    private final EcsClient ecs;
    private final TaskDefinitionRenderer renderer;
    private final int keepRevisions;
    private final Map<String, Current> current = new ConcurrentHashMap<>();

    TaskDefinitionRegistry(EcsClient ecs, FargateOptions options) {
        this.ecs = ecs;
        this.renderer = new TaskDefinitionRenderer(options);
        this.keepRevisions = options.keepRevisions();
    }

    /**
     * The ARN of the revision that runs this spec, registering it first when needed.
     *
     * @throws LaunchFailedException when ECS refuses the definition or cannot be reached
     */
    String arnFor(JobSpec job, String step) {
        RegisterTaskDefinitionRequest rendered;
        try {
            rendered = renderer.render(job, step);
        } catch (IllegalArgumentException e) {
            // The job cannot start as configured (its owner has no execution role for its secrets): retrying won't help.
            throw new LaunchFailedException(new StepOutcome.StartFailed(e.getMessage(), false), e.getMessage(), e);
        }
        String hash = TaskDefinitionRenderer.hashOf(rendered);
        Current known = current.get(rendered.family());
        if (known != null && known.hash().equals(hash)) {
            return known.arn();
        }
        synchronized (this) {
            try {
                String arn = newestWithHash(rendered.family(), hash).orElseGet(() -> register(rendered));
                current.put(rendered.family(), new Current(hash, arn));
                return arn;
            } catch (AwsServiceException e) {
                StepOutcome outcome = AwsFailures.passing(e) ? new StepOutcome.StartFailed(e.getMessage(), true) : StartFailures.ofRejectedCall(e);
                throw new LaunchFailedException(outcome, "task definition " + rendered.family() + ": " + e.getMessage(), e);
            } catch (SdkException e) {
                throw new LaunchFailedException(new StepOutcome.StartFailed("ECS unreachable: " + e.getMessage(), true),
                        "task definition " + rendered.family() + ": " + e.getMessage(), e);
            }
        }
    }

    private Optional<String> newestWithHash(String family, String hash) {
        DescribeTaskDefinitionResponse described;
        try {
            described = ecs.describeTaskDefinition(r -> r.taskDefinition(family).include(TaskDefinitionField.TAGS));
        } catch (ClientException noRevisionYet) {
            return Optional.empty();
        }
        boolean same = described.taskDefinition().status() == TaskDefinitionStatus.ACTIVE && described.hasTags()
                && described.tags().stream().anyMatch(t -> TaskDefinitionRenderer.HASH_TAG.equals(t.key()) && hash.equals(t.value()));
        return same ? Optional.of(described.taskDefinition().taskDefinitionArn()) : Optional.empty();
    }

    /**
     * A job left the catalog: deregisters every revision of its family, not only those past
     * {@code keep-revisions}, and forgets the current one. Nothing launches a removed job's definition
     * again (a retry of one of its runs registers a fresh revision), and tasks already running on a
     * revision keep running after it turns INACTIVE. Best effort, like the trimming after a register.
     */
    void deregisterAll(String job) {
        String family = TaskDefinitionRenderer.family(job);
        synchronized (this) {
            current.keySet().removeIf(known -> known.equals(family)
                    || known.startsWith(family + TaskDefinitionRenderer.STEP_SEPARATOR));
            deregisterRevisions(family, 0);
        }
    }

    private String register(RegisterTaskDefinitionRequest rendered) {
        String arn = ecs.registerTaskDefinition(rendered).taskDefinition().taskDefinitionArn();
        LOG.infof("registered task definition %s", arn);
        deregisterRevisions(rendered.family(), keepRevisions);
        return arn;
    }

    /** Best effort: a revision left behind costs nothing but clutter, so a failure here never fails a launch. */
    private void deregisterRevisions(String family, int keep) {
        try {
            List<String> arns = ecs.listTaskDefinitionsPaginator(r -> r.familyPrefix(family).sort(SortOrder.DESC))
                    .taskDefinitionArns().stream()
                    // familyPrefix also matches skiff-<job>-more; a pipeline's steps are skiff-<job>_<step>
                    .filter(arn -> familyOf(arn).equals(family) || (keep == 0 && familyOf(arn).startsWith(
                            family + TaskDefinitionRenderer.STEP_SEPARATOR)))
                    .sorted(Comparator.comparingInt(TaskDefinitionRegistry::revisionOf).reversed())
                    .toList();
            for (String old : arns.subList(Math.min(keep, arns.size()), arns.size())) {
                ecs.deregisterTaskDefinition(r -> r.taskDefinition(old));
                LOG.infof("deregistered task definition %s (keeping the newest %d)", old, keep);
            }
        } catch (SdkException e) {
            LOG.warnf("could not deregister revisions of %s: %s", family, e.getMessage());
        }
    }

    private static String familyOf(String arn) {
        String nameAndRevision = arn.substring(arn.lastIndexOf('/') + 1);
        return nameAndRevision.substring(0, nameAndRevision.lastIndexOf(':'));
    }

    private static int revisionOf(String arn) {
        return Integer.parseInt(arn.substring(arn.lastIndexOf(':') + 1));
    }
}
