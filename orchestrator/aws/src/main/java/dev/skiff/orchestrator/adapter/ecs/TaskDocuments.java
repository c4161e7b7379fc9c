package dev.skiff.orchestrator.adapter.ecs;

import dev.skiff.jobs.Architecture;
import dev.skiff.jobs.JobSpec;
import dev.skiff.jobs.Resources;
import dev.skiff.jobs.StepSpec;
import dev.skiff.orchestrator.domain.TaskEnvironment;
import dev.skiff.orchestrator.port.TaskEnd;
import dev.skiff.orchestrator.port.TaskReport;
import dev.skiff.orchestrator.port.TaskView;
import dev.skiff.workflows.StepOutcome;
import java.math.BigDecimal;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import software.amazon.awssdk.services.ecs.model.ContainerOverride;
import software.amazon.awssdk.services.ecs.model.KeyValuePair;
import software.amazon.awssdk.services.ecs.model.Task;

/**
 * Reads an ECS task document (a DescribeTasks answer or a Task State Change event's {@code detail}, alike) in the
 * ports' terms: the only place that turns a stopped task into its {@link TaskEnd}, with its outcome, where it ran and
 * what it cost. The attempt is read from the watch when the launcher watches the task, else from the environment
 * Skiff put into the task's container override when it launched it.
 */
final class TaskDocuments {

    /** Where the attempt's task ran, when it is known from outside the document (the launcher's own watch). */
    record Attempt(String runId, String job, String step, int attempt, Resources size) {
    }

    /** The size of a task whose spec is unknown: its document's cpu, memory and storage count, priced as x86. */
    private static final Resources UNKNOWN_SIZE = new Resources(0, 0, FargatePrices.FREE_STORAGE_GIB, Architecture.X86_64);

    private final RegionPrices prices;
    private final Clock clock;

    TaskDocuments(RegionPrices prices, Clock clock) {
        this.prices = prices;
        this.clock = clock;
    }

    /**
     * @param watched the attempt, when the launcher watches the task
     * @param jobs    the spec of a job by name, to price a task whose document lacks cpu or memory
     */
    TaskView view(Task task, Optional<Attempt> watched, Function<String, Optional<JobSpec>> jobs) {
        Map<String, String> env = environmentOf(task);
        long version = task.version() == null ? 0 : task.version();
        return new TaskView(task.taskArn(), task.lastStatus(), Optional.ofNullable(task.startedAt()), env, version,
                end(task, env, watched.or(() -> attemptOf(env, jobs))));
    }

    /** The end of a watched task that ECS no longer knows: nothing of it can be read any more. */
    TaskEnd vanished(String taskArn, Attempt attempt, StepOutcome.Lost outcome) {
        TaskReport report = new TaskReport(taskArn, "unknown", Optional.empty(), Optional.empty(), Optional.empty());
        return new TaskEnd(attempt.runId(), attempt.job(), attempt.step(), attempt.attempt(), outcome, clock.instant(),
                report, Map.of());
    }

    /** "spot", "on-demand", or "unknown" for a task that names no capacity provider. */
    static String ranOn(Task task) {
        return CapacityProvider.named(task.capacityProviderName()).map(CapacityProvider::ranOn).orElse("unknown");
    }

    /** The environment of the job's container, as the launch's override set it. */
    static Map<String, String> environmentOf(Task task) {
        Map<String, String> env = new LinkedHashMap<>();
        if (task.overrides() == null || !task.overrides().hasContainerOverrides()) {
            return env;
        }
        for (ContainerOverride override : task.overrides().containerOverrides()) {
            if (TaskOutcomes.CONTAINER.equals(override.name()) && override.hasEnvironment()) {
                for (KeyValuePair pair : override.environment()) {
                    env.put(pair.name(), pair.value());
                }
            }
        }
        return env;
    }

    private Optional<TaskEnd> end(Task task, Map<String, String> env, Optional<Attempt> attempt) {
        Optional<StepOutcome> outcome = TaskOutcomes.of(task);
        if (outcome.isEmpty() || attempt.isEmpty()) {
            return Optional.empty();
        }
        Attempt a = attempt.get();
        Optional<BigDecimal> cost = TaskCosts.of(task, a.size(), prices);
        TaskReport report = new TaskReport(task.taskArn(), ranOn(task), Optional.ofNullable(task.startedAt()),
                Optional.ofNullable(task.stoppedAt()), cost);
        return Optional.of(new TaskEnd(a.runId(), a.job(), a.step(), a.attempt(), outcome.get(),
                task.stoppedAt() != null ? task.stoppedAt() : clock.instant(), report, env));
    }

    /** The attempt a task of Skiff's runs, by its environment; empty for a task that is not Skiff's. */
    private static Optional<Attempt> attemptOf(Map<String, String> env, Function<String, Optional<JobSpec>> jobs) {
        String runId = env.get(TaskEnvironment.RUN_ID);
        String job = env.get(TaskEnvironment.JOB);
        Optional<Integer> attempt = number(env.get(TaskEnvironment.ATTEMPT));
        if (runId == null || job == null || attempt.isEmpty()) {
            return Optional.empty();
        }
        String step = env.getOrDefault(TaskEnvironment.STEP, StepSpec.MAIN);
        // A pipeline's step has its own size; the job's is a step's that names none.
        Optional<Resources> size = jobs.apply(job).map(spec -> spec.step(step).map(StepSpec::resources).orElse(spec.resources()));
        return Optional.of(new Attempt(runId, job, step, attempt.get(), size.orElse(UNKNOWN_SIZE)));
    }

    private static Optional<Integer> number(String value) {
        try {
            return value == null ? Optional.empty() : Optional.of(Integer.parseInt(value));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
